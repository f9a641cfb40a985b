import { stringify } from 'csv-stringify/sync';
import type { IncidentReportModel } from './reports.model.ts';
import { countryName, csvSafe } from './reports.text.ts';

/**
 * CSV following the Aid Worker Security Database (AWSD, Humanitarian Outcomes) coding, for sharing with
 * security consortia. AWSD records major attacks on aid workers (killed, wounded, kidnapped), so only
 * personnel-safety incidents (and mixed ones where someone was hurt) are exported; others are skipped.
 *
 * Columns as AWSD publishes them, and where each value comes from:
 *
 * | AWSD column                         | from Outpost                                                            |
 * |-------------------------------------|-------------------------------------------------------------------------|
 * | Incident ID                         | reference                                                               |
 * | Year, Month, Day                    | occurred (else reported), UTC date                                      |
 * | Country Code, Country               | country (ISO 3166-1), its English name                                  |
 * | Region, District                    | empty (not held)                                                        |
 * | City                                | city                                                                    |
 * | UN, INGO, ICRC, NRCS and IFRC, NNGO | empty: the victims' organisation type is not held per person            |
 * | Other                               | total affected (our own staff; the organisation type is the sharer's)   |
 * | Nationals/Internationals killed,    | empty: nationality is in the restricted persons record, never exported  |
 * |   wounded, kidnapped, totals        |                                                                         |
 * | Total killed / wounded / kidnapped  | impacts.peopleKilled / peopleInjured (or peopleHarmed) / peopleKidnapped|
 * | Total affected                      | sum of the three (at least 1 when "anyone hurt" is yes)                 |
 * | Gender Male / Female                | empty (not exported: personal data)                                     |
 * | Gender Unknown                      | total affected                                                          |
 * | Means of attack                     | category → MEANS below (else Unknown/Other)                             |
 * | Attack context                      | category → CONTEXT below (else Unknown)                                 |
 * | Location                            | location type → LOCATION below                                          |
 * | Latitude, Longitude                 | the incident's point, if any                                            |
 * | Motive                              | Unknown (not assessed in Outpost)                                       |
 * | Actor type                          | actor type → ACTOR below                                                |
 * | Actor name                          | empty (not held)                                                        |
 * | Details                             | category label and city only (never the narrative: it names people)     |
 * | Verified                            | Yes when the determination is confirmed, otherwise No                   |
 * | Source                              | "Outpost <office code>"                                                 |
 */
export const AWSD_COLUMNS = [
  'Incident ID',
  'Year',
  'Month',
  'Day',
  'Country Code',
  'Country',
  'Region',
  'District',
  'City',
  'UN',
  'INGO',
  'ICRC',
  'NRCS and IFRC',
  'NNGO',
  'Other',
  'Nationals killed',
  'Nationals wounded',
  'Nationals kidnapped',
  'Total nationals',
  'Internationals killed',
  'Internationals wounded',
  'Internationals kidnapped',
  'Total internationals',
  'Total killed',
  'Total wounded',
  'Total kidnapped',
  'Total affected',
  'Gender Male',
  'Gender Female',
  'Gender Unknown',
  'Means of attack',
  'Attack context',
  'Location',
  'Latitude',
  'Longitude',
  'Motive',
  'Actor type',
  'Actor name',
  'Details',
  'Verified',
  'Source',
] as const;

/** Category type (after `family:`) → AWSD means of attack. */
const MEANS: Record<string, string> = {
  kidnapping: 'Kidnapping',
  abduction: 'Kidnapping',
  sexual_violence: 'Rape/sexual assault',
  assault: 'Bodily assault',
  robbery: 'Other',
  armed_robbery: 'Shooting',
  shooting: 'Shooting',
  ied: 'Roadside IED',
  explosive: 'Other Explosives',
  shelling: 'Shelling',
  airstrike: 'Aerial bombardment',
  landmine: 'Landmine',
};
/** Category type → AWSD attack context. */
const CONTEXT: Record<string, string> = {
  detention: 'Detention',
  arrest: 'Detention',
  demonstration: 'Mob violence',
  riot: 'Mob violence',
  ambush: 'Ambush',
  crossfire: 'Combat/Crossfire',
  raid: 'Raid',
  break_in: 'Raid',
  kidnapping: 'Individual attack',
  assault: 'Individual attack',
  robbery: 'Individual attack',
  sexual_violence: 'Individual attack',
  threat: 'Individual attack',
  harassment: 'Individual attack',
};
/** Outpost location type → AWSD location. */
const LOCATION: Record<string, string> = {
  office: 'Office/compound/facility',
  residence: 'Home',
  vehicle: 'Road',
  road: 'Road',
  public_place: 'Public location',
  hotel: 'Public location',
  airport: 'Public location',
  field_site: 'Project site',
};
/** Outpost actor type → AWSD actor type. */
const ACTOR: Record<string, string> = {
  criminal: 'Criminal',
  state: 'Host state',
  non_state_armed_group: 'Non-state armed group: National',
  insider: 'Staff member',
  civilian: 'Unaffiliated',
  opportunist: 'Unaffiliated',
};

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0);

/** Whether an incident belongs in an AWSD export. */
export function isAwsdRelevant(m: IncidentReportModel): boolean {
  return m.domain === 'personnel_safety' || (m.domain === 'mixed' && m.anyoneHurt === true);
}

export function awsdRow(m: IncidentReportModel): string[] {
  const type = m.category.split(':').pop() ?? '';
  const killed = num(m.impacts.peopleKilled);
  const wounded = num(m.impacts.peopleInjured) || num(m.impacts.peopleHarmed);
  const kidnapped = num(m.impacts.peopleKidnapped);
  const total = Math.max(killed + wounded + kidnapped, m.anyoneHurt ? 1 : 0);
  const when = new Date(m.times.occurredAt ?? m.times.reportedAt);
  const blank = '';
  const cells: (string | number)[] = [
    m.reference,
    when.getUTCFullYear(),
    when.getUTCMonth() + 1,
    when.getUTCDate(),
    m.location.country ?? blank,
    countryName(m.location.country, 'en'),
    blank,
    blank,
    m.location.city ?? blank,
    blank,
    blank,
    blank,
    blank,
    blank,
    total,
    blank,
    blank,
    blank,
    blank,
    blank,
    blank,
    blank,
    blank,
    killed,
    wounded,
    kidnapped,
    total,
    blank,
    blank,
    total,
    MEANS[type] ?? (m.actorType === 'unknown' || !m.actorType ? 'Unknown' : 'Other'),
    CONTEXT[type] ?? 'Unknown',
    LOCATION[m.location.locationType ?? ''] ?? 'Unknown',
    m.location.latitude ?? blank,
    m.location.longitude ?? blank,
    'Unknown',
    ACTOR[m.actorType ?? ''] ?? 'Unknown',
    blank,
    [m.categoryLabel?.en ?? type, m.location.city].filter(Boolean).join(', '),
    m.determination === 'confirmed' ? 'Yes' : 'No',
    `Outpost ${m.office.code}`,
  ];
  // Numbers (a negative latitude) stay numbers; text cells are made formula-safe.
  return cells.map((c) => (typeof c === 'number' ? String(c) : csvSafe(c)));
}

/** The CSV (UTF-8, with a header row, CRLF line ends as spreadsheets expect). */
export function awsdCsv(models: readonly IncidentReportModel[]): string {
  const rows = models.filter(isAwsdRelevant).map(awsdRow);
  return stringify([[...AWSD_COLUMNS], ...rows], { record_delimiter: 'windows', quoted_string: false });
}
