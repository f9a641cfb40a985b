import type { IncidentReportModel } from './reports.model.ts';
import { redact, safeText } from './reports.text.ts';
import { uuidv5 } from './stix.ts';

/**
 * MISP event JSON (pure), in the shape MISP's REST API returns and imports: `{ response: [ { Event } ] }`.
 * Observables become Attributes (never `to_ids`: the officer decides what to block in MISP); the TLP becomes
 * a `tlp:` tag of the MISP TLP taxonomy (2.0 values), the category and domain `outpost:` tags. No person
 * records, no reporter: the `info` line is the reference and the redacted title.
 */
const MISP_NAMESPACE = 'b3c1a2f0-8d4e-5c6b-9a7f-1e2d3c4b5a69';

/** Outpost observable type → MISP attribute type and category. */
const ATTRIBUTE: Record<string, { type: string; category: string }> = {
  ipv4: { type: 'ip-dst', category: 'Network activity' },
  ipv6: { type: 'ip-dst', category: 'Network activity' },
  domain: { type: 'domain', category: 'Network activity' },
  url: { type: 'url', category: 'Network activity' },
  email: { type: 'email-src', category: 'Payload delivery' },
  md5: { type: 'md5', category: 'Payload delivery' },
  sha1: { type: 'sha1', category: 'Payload delivery' },
  sha256: { type: 'sha256', category: 'Payload delivery' },
  file_name: { type: 'filename', category: 'Payload delivery' },
  phone: { type: 'phone-number', category: 'Other' },
  vehicle_plate: { type: 'text', category: 'Other' },
  other: { type: 'text', category: 'Other' },
};

/** Severity 4/3 → High, 2 → Medium, 1 → Low, none → Undefined (MISP threat_level_id 1–4). */
const threatLevel = (s: number | null) => (s === null ? '4' : s >= 3 ? '1' : s === 2 ? '2' : '3');
/** MISP analysis: 0 initial, 1 ongoing, 2 completed. */
const analysis = (status: string) =>
  status === 'reported' ? '0' : ['resolved', 'closed', 'rejected', 'duplicate'].includes(status) ? '2' : '1';
const unix = (iso: string) => String(Math.floor(Date.parse(iso) / 1000));

export function mispEvent(m: IncidentReportModel) {
  const stamp = unix(m.updatedAt);
  const date = (m.times.occurredAt ?? m.times.reportedAt).slice(0, 10);
  const attributes = m.observables
    .map((o, i) => {
      const a = ATTRIBUTE[o.type] ?? { type: 'text', category: 'Other' };
      const value = safeText(o.value).trim();
      if (!value) return null;
      return {
        uuid: uuidv5(`${m.id}:attribute:${i}:${o.type}:${value}`, MISP_NAMESPACE),
        type: a.type,
        category: a.category,
        value,
        to_ids: false,
        distribution: '5',
        comment: redact(o.note ?? '', m.redactNames),
        timestamp: stamp,
      };
    })
    .filter((a) => a !== null);
  for (const e of m.evidence) {
    if (e.sha256 && /^[0-9a-f]{64}$/i.test(e.sha256))
      attributes.push({
        uuid: uuidv5(`${m.id}:evidence:${e.sha256}`, MISP_NAMESPACE),
        type: 'sha256',
        category: 'Artifacts dropped',
        value: e.sha256.toLowerCase(),
        to_ids: false,
        distribution: '5',
        comment: 'evidence',
        timestamp: stamp,
      });
  }
  return {
    Event: {
      uuid: uuidv5(`incident:${m.id}`, MISP_NAMESPACE),
      info: redact(`${m.reference}: ${m.title}`, m.redactNames),
      date,
      threat_level_id: threatLevel(m.severity),
      analysis: analysis(m.status),
      /** 0 = your organisation only: sharing wider is a decision taken in MISP. */
      distribution: '0',
      published: false,
      timestamp: stamp,
      Orgc: { name: safeText(`${m.office.code} — ${m.office.name}`) },
      Tag: [
        { name: `tlp:${m.tlp}` },
        { name: `outpost:category="${m.category}"` },
        { name: `outpost:domain="${m.domain}"` },
      ],
      Attribute: attributes,
    },
  };
}

export function mispExport(models: readonly IncidentReportModel[]) {
  return { response: models.map(mispEvent) };
}
