import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { IncidentDetermination, IncidentStatus, Tlp } from '../../../shared/incidents/incidents.enums.ts';
import type { AffectedAsset, Impacts, Observable } from '../../../shared/incidents/incidents.schemas.ts';
import type { TimelineEntryInput } from '../../../shared/incidents/investigation.schemas.ts';
import type { Role } from '../../../shared/permissions.ts';
import type { Site } from '../../../shared/sites/sites.schemas.ts';
import type { DB } from '../../db/schema.ts';
import type { IncidentRow } from '../../db/tables/incidents.ts';
import { type Ctx, isCrossOffice, systemCtx } from '../../lib/auth.ts';
import { type Clock, fixedClock } from '../../lib/clock.ts';
import type { Notifier, RecordLinks, SearchIndexer } from '../../lib/ports.ts';
import type { AuditEntry, AuditService } from '../audit/audit.service.ts';
import { createEscalationService } from '../incidents/escalation.service.ts';
import { createIncidentAccess } from '../incidents/incidents.access.ts';
import { BUILT_IN_CATEGORIES } from '../incidents/incidents.categories.ts';
import { createIncidentService, type IncidentService } from '../incidents/incidents.service.ts';
import {
  createInvestigationService,
  type InvestigationAttachmentPort,
  type InvestigationTaskPort,
} from '../incidents/investigation.service.ts';
import type { UserService } from '../users/users.service.ts';

/**
 * A year of incidents for the demo office TBS (issue #5): cyber, information-security, physical and
 * personnel-safety cases in every status, some sensitive, with triage, HQ escalations (acknowledged, a
 * few late so the overdue step escalated to level 2), timelines, evidence with chain of custody,
 * communications, reviews and closures.
 *
 * Everything goes through the incident, escalation and investigation services, so every rule (workflow,
 * four eyes, escalation matrix) holds as in real use. Those services run here on a clock of their own
 * that walks through the past year, so the incidents' times (reported, acknowledged, contained, HQ
 * notified and acknowledged, closed) and the metrics derived from them are a year's worth. The audit
 * trail is written at load time (it records when the demo was loaded, in order); notifications older
 * than a few days are not sent, so inboxes hold only what recent incidents would have left there.
 * Deterministic for a seed and a clock (ids apart).
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Notifications of events older than this are not written (a year of them would bury the inboxes). */
const NOTIFY_WINDOW_MS = 3 * DAY;

type Place = {
  city: string;
  country: string;
  lat: number;
  lon: number;
  locationType: string;
  text: string;
  site?: 'office_premises' | 'residence_compound' | 'warehouse';
};

const PLACES = {
  office: {
    city: 'Tbilisi',
    country: 'GE',
    lat: 41.7089,
    lon: 44.7669,
    locationType: 'office',
    text: 'Main premises, Vake',
    site: 'office_premises',
  },
  residence: {
    city: 'Tbilisi',
    country: 'GE',
    lat: 41.7265,
    lon: 44.7495,
    locationType: 'residence',
    text: 'Staff residence compound, Saburtalo',
    site: 'residence_compound',
  },
  store: {
    city: 'Tbilisi',
    country: 'GE',
    lat: 41.6869,
    lon: 44.8953,
    locationType: 'office',
    text: 'Equipment store, Demo Industrial Park',
    site: 'warehouse',
  },
  rustaveli: {
    city: 'Tbilisi',
    country: 'GE',
    lat: 41.6977,
    lon: 44.7989,
    locationType: 'public_place',
    text: 'Rustaveli Avenue near Parliament',
  },
  gori: {
    city: 'Gori',
    country: 'GE',
    lat: 41.9842,
    lon: 44.1158,
    locationType: 'road',
    text: 'E60 highway, fuel station east of Gori',
  },
  batumi: {
    city: 'Batumi',
    country: 'GE',
    lat: 41.6461,
    lon: 41.6405,
    locationType: 'public_place',
    text: 'Old Boulevard, Batumi',
  },
  yerevan: {
    city: 'Yerevan',
    country: 'AM',
    lat: 40.1811,
    lon: 44.5136,
    locationType: 'vehicle',
    text: 'Parked car near the Yerevan liaison desk',
  },
  sevan: {
    city: 'Sevan',
    country: 'AM',
    lat: 40.5186,
    lon: 44.9528,
    locationType: 'road',
    text: 'M4 Yerevan–Sevan road, km 52',
  },
  ganja: {
    city: 'Ganja',
    country: 'AZ',
    lat: 40.6828,
    lon: 46.3606,
    locationType: 'road',
    text: 'Police checkpoint on the Baku–Ganja road',
  },
  baku: {
    city: 'Baku',
    country: 'AZ',
    lat: 40.3777,
    lon: 49.892,
    locationType: 'office',
    text: 'Baku liaison desk',
  },
  online: { city: 'Tbilisi', country: 'GE', lat: 0, lon: 0, locationType: 'online', text: 'E-mail and web services' },
} satisfies Record<string, Place>;

/** A quick report arrives as `other:other` (mixed); triage puts it in its category's domain. */
const DOMAIN_OF_FAMILY: Record<string, string> = {
  cyber: 'cyber',
  infosec: 'information_security',
  physical: 'physical',
  safety: 'personnel_safety',
};

type Step = [minutesAfterOccurrence: number, source: TimelineEntryInput['source'], description: string];

interface Scenario {
  category: string;
  title: string;
  narrative: string;
  severity: 1 | 2 | 3 | 4;
  determination: IncidentDetermination;
  place: keyof typeof PLACES;
  channel: 'app' | 'quick_report' | 'phone' | 'walk_in' | 'email';
  /** Who reported a phone or walk-in report. */
  reporterName?: string;
  actorType: string;
  observables?: Observable[];
  impacts?: Impacts;
  assets?: AffectedAsset[];
  hurt?: boolean;
  help?: string;
  sensitive?: boolean;
  tlp?: Tlp;
  timeline: Step[];
  evidence?: {
    label: string;
    kind: string;
    method: string;
    storage: string;
    hashed: boolean;
    handovers?: string[][];
  }[];
  comms?: [recipient: string, channel: string, summary: string][];
  /** Who the incident waits for, when it does. */
  pause?: string;
  /** Involved person (restricted sub-record). */
  person?: { role: string; name: string; details: string };
  /** Rejected at triage, with this reason. */
  reject?: string;
  /** A second quick report of the same event, marked as its duplicate. */
  twin?: string;
  summary: string;
  lessons: string;
}

const SCENARIOS: Scenario[] = [
  {
    category: 'cyber:phishing',
    title: 'Phishing e-mail imitating the HQ payroll portal',
    narrative:
      'Nine staff received an e-mail asking them to "confirm their bank details" on a page imitating the HQ payroll portal. Two clicked the link; one entered a password before noticing the address.',
    severity: 2,
    determination: 'confirmed',
    place: 'online',
    channel: 'email',
    actorType: 'criminal',
    observables: [
      { type: 'domain', value: 'hq-payroll-update.example' },
      { type: 'url', value: 'https://hq-payroll-update.example/login' },
      { type: 'email', value: 'payroll@hq-payroll-update.example' },
      { type: 'ipv4', value: '203.0.113.45' },
    ],
    tlp: 'green',
    timeline: [
      [0, 'log', 'Mail gateway delivers the message to nine mailboxes.'],
      [22, 'staff_report', 'A programme officer forwards the message to the security officer.'],
      [35, 'officer', 'Password of the one account that entered credentials reset; sessions revoked.'],
      [50, 'officer', 'Sender domain and URL blocked at the gateway; HQ IT informed.'],
    ],
    evidence: [
      {
        label: 'Original message (.eml) with full headers',
        kind: 'digital',
        method: 'Exported from the mailbox by the security officer',
        storage: 'Evidence share, folder of the incident',
        hashed: true,
      },
    ],
    comms: [['HQ IT security desk', 'email', 'Indicators sent for blocking across all offices.']],
    summary: 'Credential phishing contained within an hour; one password reset, no sign-in from the attacker seen.',
    lessons: 'Staff reported quickly. Add a "report phishing" button to the mail client; repeat the phishing briefing.',
  },
  {
    category: 'cyber:phishing',
    title: 'Suspicious e-mail from a partner embassy',
    narrative:
      'A staff member reported an unexpected e-mail with an attachment from a partner embassy. It turned out to be their regular newsletter sent from a new mailing service.',
    severity: 1,
    determination: 'false_positive',
    place: 'online',
    channel: 'app',
    actorType: 'unknown',
    timeline: [[0, 'staff_report', 'Newsletter received from an unfamiliar sending service.']],
    reject: 'Not an incident: the partner embassy confirmed the newsletter by phone.',
    summary: 'False positive.',
    lessons: 'None.',
  },
  {
    category: 'cyber:malware',
    title: 'Malware on the reception PC from a visitor’s USB stick',
    narrative:
      'A visitor asked reception to print a document from a USB stick. The endpoint protection flagged a file named like a PDF invoice that was an executable; the PC showed signs of infection before it was isolated.',
    severity: 3,
    determination: 'confirmed',
    place: 'office',
    channel: 'app',
    actorType: 'unknown',
    observables: [
      { type: 'file_name', value: 'invoice_2025.pdf.exe' },
      { type: 'sha256', value: 'b2a3c8d1e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1' },
      { type: 'domain', value: 'update-cdn.example' },
    ],
    assets: [{ name: 'Reception PC RCP-02', kind: 'workstation' }],
    impacts: { downtimeHours: 6 },
    timeline: [
      [0, 'staff_report', 'Visitor’s USB stick inserted at reception to print a document.'],
      [4, 'system', 'Endpoint protection alert: trojan dropper quarantined, persistence attempted.'],
      [30, 'officer', 'PC disconnected from the network; memory and disk imaged.'],
      [240, 'officer', 'PC reinstalled from the standard image; passwords used on it changed.'],
    ],
    evidence: [
      {
        label: 'Disk image of RCP-02',
        kind: 'digital',
        method: 'Write-blocked image taken with the office forensic kit',
        storage: 'Encrypted drive in the safe, 3rd floor',
        hashed: true,
        handovers: [['HQ IT forensic team (courier)', 'Analysis']],
      },
      {
        label: 'Visitor’s USB stick',
        kind: 'physical',
        method: 'Kept by reception, bagged and labelled',
        storage: 'Safe, 3rd floor',
        hashed: false,
      },
    ],
    comms: [['HQ IT security desk', 'phone', 'Infection reported, image on its way for analysis.']],
    pause: 'HQ IT forensic analysis of the disk image',
    summary: 'Commodity dropper stopped before exfiltration; PC reinstalled; no spread found.',
    lessons: 'Never print from visitors’ media: a kiosk PC off the network is now at reception.',
  },
  {
    category: 'cyber:account_compromise',
    title: 'Webmail account sending spam after password reuse',
    narrative:
      'A staff mailbox sent several hundred spam messages overnight. The password had been reused on a shopping site whose customer database leaked.',
    severity: 3,
    determination: 'confirmed',
    place: 'online',
    channel: 'app',
    actorType: 'criminal',
    observables: [
      { type: 'ipv4', value: '198.51.100.23' },
      { type: 'email', value: 'bulk-sender@mailer.example' },
    ],
    assets: [{ name: 'Staff mailbox (programme officer)', kind: 'account' }],
    timeline: [
      [0, 'log', 'Sign-in from an unknown network abroad, no second factor asked (legacy protocol).'],
      [300, 'log', 'Outbound spam starts; provider throttles the mailbox.'],
      [620, 'officer', 'Password reset, legacy protocols disabled, MFA enforced.'],
    ],
    evidence: [
      {
        label: 'Sign-in log export',
        kind: 'log',
        method: 'Exported from the mail provider’s admin console',
        storage: 'Evidence share',
        hashed: true,
      },
    ],
    comms: [['Mail provider support', 'email', 'Asked to lift the sending block after the reset.']],
    summary: 'Account recovered the same morning; no internal data accessed beyond the mailbox.',
    lessons: 'MFA for every mailbox, legacy protocols off; password manager rolled out to all staff.',
  },
  {
    category: 'infosec:device_loss',
    title: 'Laptop stolen from a parked car in Yerevan',
    narrative:
      'An office laptop was stolen from the boot of a parked car while the staff member attended a meeting. The disk is encrypted; the police were informed.',
    severity: 3,
    determination: 'confirmed',
    place: 'yerevan',
    channel: 'phone',
    reporterName: 'Armen Demo (liaison assistant, Yerevan)',
    actorType: 'criminal',
    impacts: { financialLoss: 1400, currency: 'EUR' },
    assets: [{ name: 'Laptop LT-117 (encrypted)', kind: 'laptop' }],
    timeline: [
      [0, 'victim', 'Car parked; laptop bag left in the boot.'],
      [95, 'victim', 'Rear window found broken, bag gone.'],
      [130, 'officer', 'Device wiped remotely; accounts signed out.'],
    ],
    evidence: [
      {
        label: 'Police report (Armenian, with translation)',
        kind: 'document',
        method: 'Scanned at the Yerevan desk',
        storage: 'Evidence share',
        hashed: true,
      },
    ],
    comms: [['Yerevan police, Kentron district', 'in_person', 'Theft reported; report number received.']],
    pause: 'police report for the insurer',
    summary: 'Encrypted laptop lost; remote wipe confirmed; insurer paid the replacement.',
    lessons: 'Never leave equipment in a parked car; reminder in the travel briefing.',
  },
  {
    category: 'infosec:misdirected_email',
    title: 'Staff list with home addresses sent to an external address',
    narrative:
      'The warden list with home addresses was sent to an external contact with a similar name. The recipient confirmed deletion.',
    severity: 2,
    determination: 'confirmed',
    place: 'online',
    channel: 'app',
    actorType: 'accidental',
    impacts: { dataRecords: 28, dataDescription: 'Names, home addresses and phone numbers of staff' },
    timeline: [
      [0, 'log', 'Message sent to the wrong recipient (address autocompleted).'],
      [40, 'officer', 'Recipient called and asked to delete the message; confirmation in writing received.'],
    ],
    comms: [['Affected staff (all)', 'email', 'Informed of the disclosure and of the deletion.']],
    summary: 'Disclosure to one external person who deleted the data; staff informed.',
    lessons: 'Autocomplete of external addresses turned off; the list is now shared as a link, not an attachment.',
  },
  {
    category: 'physical:lost_badge_key',
    title: 'Access badge lost by a programme officer',
    narrative: 'A programme officer lost their access badge, probably on public transport.',
    severity: 1,
    determination: 'confirmed',
    place: 'office',
    channel: 'walk_in',
    reporterName: 'Nino Sample (programme officer)',
    actorType: 'accidental',
    timeline: [[0, 'staff_report', 'Badge missing when arriving at the gate.']],
    summary: 'Badge blocked within 20 minutes; new badge issued.',
    lessons: 'None beyond the standard procedure.',
  },
  {
    category: 'physical:intrusion',
    title: 'Break-in attempt at the equipment store',
    narrative:
      'The alarm at the equipment store went off at night. The response team found the padlock of the side door cut; the inner door held and nothing was taken.',
    severity: 3,
    determination: 'attempt',
    place: 'store',
    channel: 'phone',
    reporterName: 'Guard company control room',
    actorType: 'criminal',
    observables: [{ type: 'vehicle_plate', value: 'XX-000-XX (partial, fictitious)' }],
    timeline: [
      [0, 'access_control', 'Intrusion alarm, side door zone.'],
      [12, 'partner', 'Guard response team on site; two people seen running towards a car.'],
      [40, 'police', 'Police patrol on site; statement taken.'],
      [600, 'officer', 'Padlock replaced with a shrouded lock; CCTV footage exported.'],
    ],
    evidence: [
      {
        label: 'CCTV footage 01:10–01:40, cameras 2 and 3',
        kind: 'digital',
        method: 'Exported from the recorder, checksum recorded at export',
        storage: 'Evidence share; copy on the encrypted drive in the safe',
        hashed: true,
        handovers: [['Police investigator, Samgori district', 'Copy handed over for the investigation']],
      },
      {
        label: 'Cut padlock',
        kind: 'physical',
        method: 'Collected in a bag by the guard supervisor',
        storage: 'Safe, 3rd floor',
        hashed: false,
        handovers: [['Police investigator, Samgori district', 'Forensic examination']],
      },
    ],
    comms: [
      ['Police, Samgori district', 'phone', 'Attempted break-in reported.'],
      ['Guard company', 'email', 'Asked for a second night patrol for two weeks.'],
    ],
    summary: 'Attempted break-in; nothing taken; lock and lighting improved.',
    lessons: 'Shrouded padlocks on all outer doors; motion light at the side door.',
  },
  {
    category: 'physical:theft',
    title: 'Fuel siphoned from the residence generator tank',
    narrative: 'About 60 litres of diesel were missing from the generator tank at the residence compound.',
    severity: 1,
    determination: 'confirmed',
    place: 'residence',
    channel: 'quick_report',
    actorType: 'opportunist',
    impacts: { financialLoss: 90, currency: 'GEL' },
    timeline: [[0, 'staff_report', 'Fuel gauge far below the level logged at the weekly check.']],
    summary: 'Minor theft; the tank cap now has a lock.',
    lessons: 'Lockable fuel caps on all generators.',
  },
  {
    category: 'physical:vandalism',
    title: 'Graffiti on the office perimeter wall',
    narrative: 'Political graffiti sprayed on the outer wall overnight; no threat against the office in the text.',
    severity: 1,
    determination: 'confirmed',
    place: 'office',
    channel: 'app',
    actorType: 'civilian',
    timeline: [[0, 'cctv', 'Two people spray the wall at 03:15.']],
    summary: 'Graffiti removed by the landlord.',
    lessons: 'None.',
  },
  {
    category: 'physical:suspicious_object',
    title: 'Unattended bag at the office gate',
    narrative:
      'Guards found a backpack leaning against the gate. The area was cordoned off and the police called; the bag belonged to a courier who had left it while delivering next door.',
    severity: 3,
    determination: 'false_positive',
    place: 'office',
    channel: 'phone',
    reporterName: 'Guard supervisor',
    actorType: 'civilian',
    timeline: [
      [0, 'witness', 'Backpack noticed by the gate guard.'],
      [5, 'officer', 'Cordon at 100 m; staff kept away from the front windows.'],
      [50, 'police', 'Bomb squad clears the bag; owner identified.'],
    ],
    comms: [['Police, Vake-Saburtalo', 'phone', 'Suspicious object reported.']],
    summary: 'False alarm handled by the book in under an hour.',
    lessons: 'Cordon drill worked; brief the new guards on the reporting line.',
  },
  {
    category: 'physical:hostile_surveillance',
    title: 'Man photographing staff cars at the residence gate',
    narrative:
      'For the second time this month a man in a parked car photographed vehicles entering the residence compound.',
    severity: 2,
    determination: 'suspected',
    place: 'residence',
    channel: 'app',
    actorType: 'unknown',
    observables: [{ type: 'vehicle_plate', value: 'AA-123-BB (fictitious)' }],
    timeline: [
      [0, 'witness', 'Guard notices the car and the camera.'],
      [20, 'cctv', 'Car leaves when the guard approaches.'],
    ],
    comms: [['Partner embassies’ security network', 'messaging', 'Plate and description shared.']],
    summary: 'Not seen again after police were informed; plate shared with the security network.',
    lessons: 'Vary arrival times; guards log plates of cars parked nearby.',
  },
  {
    category: 'physical:demonstration',
    title: 'Demonstration on Rustaveli Avenue blocks the route to the office',
    narrative: 'A large, peaceful demonstration closed the avenue; two staff were stuck on the way in.',
    severity: 2,
    determination: 'confirmed',
    place: 'rustaveli',
    channel: 'app',
    actorType: 'civilian',
    timeline: [
      [0, 'media', 'Crowd gathers in front of Parliament.'],
      [30, 'officer', 'Staff advised by SMS to avoid the centre and work from home.'],
    ],
    comms: [['All staff', 'messaging', 'Avoid the centre; work from home until further notice.']],
    twin: 'Big crowd on Rustaveli, police everywhere, I cannot get to the office',
    summary: 'No staff affected beyond delays.',
    lessons: 'SMS alert went out within 30 minutes; keep the alternative route card up to date.',
  },
  {
    category: 'physical:power_comms_outage',
    title: 'Mains power cut; generator failed to start',
    narrative: 'A city-wide power cut; the office generator did not start automatically (flat starter battery).',
    severity: 2,
    determination: 'confirmed',
    place: 'office',
    channel: 'app',
    actorType: 'accidental',
    impacts: { downtimeHours: 2 },
    timeline: [
      [0, 'system', 'UPS on battery.'],
      [25, 'officer', 'Generator started by hand after a battery swap.'],
    ],
    summary: 'Two hours without the server room on generator power; battery replaced.',
    lessons: 'Starter battery added to the monthly generator test.',
  },
  {
    category: 'physical:fire',
    title: 'Small fire in the residence compound kitchen',
    narrative: 'A pan fire in a shared kitchen, put out with an extinguisher. Nobody hurt; smoke damage only.',
    severity: 3,
    determination: 'confirmed',
    place: 'residence',
    channel: 'quick_report',
    actorType: 'accidental',
    hurt: false,
    help: 'Fire brigade to check the kitchen hood',
    timeline: [
      [0, 'witness', 'Pan catches fire.'],
      [2, 'witness', 'Fire put out with the CO2 extinguisher.'],
      [45, 'authorities', 'Fire brigade checks the extraction hood; all clear.'],
    ],
    summary: 'Fire out in two minutes; extinguisher replaced; hood cleaned.',
    lessons: 'Fire blanket added to every shared kitchen.',
  },
  {
    category: 'safety:threat_harassment',
    title: 'Threatening phone calls to a national staff member',
    narrative:
      'A national staff member received repeated anonymous calls referring to their work for the office and to their family.',
    severity: 2,
    determination: 'confirmed',
    place: 'office',
    channel: 'walk_in',
    reporterName: 'Staff member concerned',
    actorType: 'unknown',
    sensitive: true,
    tlp: 'red',
    observables: [{ type: 'phone', value: '+000 5550199 (fictitious)' }],
    person: { role: 'victim', name: 'National staff member (name withheld)', details: 'Calls on the private number.' },
    timeline: [
      [0, 'victim', 'First call in the evening.'],
      [2880, 'victim', 'Third call, mentioning the staff member’s children.'],
    ],
    comms: [['Head of office', 'in_person', 'Briefed; support and a change of number agreed.']],
    summary: 'Calls stopped after the number change and a police report.',
    lessons: 'Staff numbers must not appear on public event lists.',
  },
  {
    category: 'safety:assault',
    title: 'Staff member assaulted leaving a restaurant in Batumi',
    narrative:
      'On a mission to Batumi, a staff member was punched by a drunk man after a dispute outside a restaurant. Bruising; seen at a clinic.',
    severity: 3,
    determination: 'confirmed',
    place: 'batumi',
    channel: 'quick_report',
    actorType: 'civilian',
    hurt: true,
    help: 'Clinic recommendation',
    impacts: { peopleInjured: 1 },
    person: { role: 'victim', name: 'Mission traveller', details: 'Bruised cheek; outpatient treatment.' },
    timeline: [
      [0, 'victim', 'Dispute with a drunk man outside the restaurant.'],
      [3, 'victim', 'Punched once; the man walks away.'],
      [60, 'officer', 'Staff member seen at the clinic; taxi back to the hotel.'],
    ],
    comms: [['HQ security duty officer', 'phone', 'Informed; no further support needed.']],
    summary: 'Minor injury; traveller completed the mission.',
    lessons: 'Mission briefing for Batumi updated: late-evening venues and taxis.',
  },
  {
    category: 'safety:robbery',
    title: 'Armed robbery of a driver at a fuel station near Gori',
    narrative:
      'Two armed men robbed the office driver of cash and his phone at a fuel station on the E60. The vehicle was not taken; the driver was unhurt but shaken.',
    severity: 4,
    determination: 'confirmed',
    place: 'gori',
    channel: 'phone',
    reporterName: 'Office driver (by phone)',
    actorType: 'criminal',
    hurt: false,
    impacts: { financialLoss: 300, currency: 'GEL' },
    person: { role: 'victim', name: 'Office driver', details: 'Unhurt; offered counselling.' },
    timeline: [
      [0, 'victim', 'Two men with a pistol approach at the pump.'],
      [2, 'victim', 'Cash and phone handed over; men leave in a dark saloon.'],
      [15, 'victim', 'Driver calls the office from the station’s phone.'],
      [90, 'police', 'Police statement at Gori station.'],
    ],
    comms: [
      ['HQ security duty officer', 'phone', 'Severity 4 incident, driver safe.'],
      ['Gori police', 'in_person', 'Statement given.'],
    ],
    pause: 'police investigation (statement copy)',
    summary: 'Driver unhurt; phone blocked; counselling offered and taken.',
    lessons: 'No stops at isolated fuel stations on the E60 after dark; fuel up in Tbilisi.',
  },
  {
    category: 'safety:detention',
    title: 'Driver detained for six hours at a checkpoint on the Baku–Ganja road',
    narrative:
      'The driver of the Baku desk was held at a police checkpoint over a paperwork question about the vehicle registration, then released.',
    severity: 4,
    determination: 'confirmed',
    place: 'ganja',
    channel: 'phone',
    reporterName: 'Baku liaison assistant',
    actorType: 'state',
    impacts: { peopleDetained: 1 },
    person: { role: 'staff_involved', name: 'Baku desk driver', details: 'Released without charge.' },
    timeline: [
      [0, 'victim', 'Vehicle stopped; driver asked to follow the police to the post.'],
      [45, 'partner', 'Baku desk informs the officer; lawyer contacted.'],
      [360, 'authorities', 'Driver released; vehicle papers accepted.'],
    ],
    comms: [
      ['HQ security duty officer', 'phone', 'Detention reported, updates hourly.'],
      ['Partner embassy consular section', 'phone', 'Asked for advice on the procedure.'],
    ],
    summary: 'Detained six hours, released without charge; vehicle papers now carried in a translated copy.',
    lessons: 'Keep notarised translations of vehicle papers in every car.',
  },
  {
    category: 'safety:sexual_violence',
    title: 'Sensitive report from a staff member',
    narrative: 'A staff member reported sexual harassment by a contractor. Details are held by the security officer.',
    severity: 3,
    determination: 'confirmed',
    place: 'office',
    channel: 'walk_in',
    reporterName: 'Staff member concerned',
    actorType: 'insider',
    tlp: 'red',
    person: { role: 'victim', name: 'Staff member (name withheld)', details: 'Support offered through HQ.' },
    timeline: [[0, 'victim', 'Reported in person to the security officer.']],
    comms: [['HQ staff welfare', 'phone', 'Referred with consent.']],
    summary: 'Contractor removed from the site; support provided.',
    lessons: 'Contractors’ code of conduct now signed at induction.',
  },
  {
    category: 'safety:road_accident',
    title: 'Office vehicle rear-ended on the Tbilisi–Gori highway',
    narrative: 'The office vehicle was hit from behind in slow traffic. Minor damage, nobody hurt.',
    severity: 2,
    determination: 'confirmed',
    place: 'gori',
    channel: 'quick_report',
    actorType: 'accidental',
    hurt: false,
    help: 'Tow truck not needed; insurance form',
    impacts: { financialLoss: 650, currency: 'GEL' },
    timeline: [
      [0, 'victim', 'Collision in slow traffic.'],
      [40, 'police', 'Traffic police record the accident.'],
    ],
    summary: 'Vehicle repaired; the other driver’s insurer paid.',
    lessons: 'None.',
  },
  {
    category: 'safety:road_accident',
    title: 'Vehicle rollover on the Yerevan–Sevan road, two staff injured',
    narrative:
      'On an icy stretch of the M4 the vehicle left the road and rolled. Two staff were injured (one broken arm) and taken to hospital in Sevan, then Yerevan.',
    severity: 4,
    determination: 'confirmed',
    place: 'sevan',
    channel: 'phone',
    reporterName: 'Staff member in the vehicle',
    actorType: 'accidental',
    hurt: true,
    impacts: { peopleInjured: 2, financialLoss: 18000, currency: 'EUR' },
    assets: [{ name: 'Vehicle TBS-04 (4×4)', kind: 'vehicle' }],
    person: { role: 'victim', name: 'Two staff members', details: 'One broken arm; one concussion; both discharged.' },
    timeline: [
      [0, 'victim', 'Vehicle skids on ice and rolls once.'],
      [20, 'authorities', 'Ambulance on site.'],
      [75, 'officer', 'Both staff admitted in Sevan; transfer to Yerevan arranged.'],
      [300, 'officer', 'Both staff in the Yerevan hospital; stable.'],
    ],
    comms: [
      ['HQ security duty officer', 'phone', 'Severity 4, two injured, stable.'],
      ['Families of the injured', 'phone', 'Informed by the head of office.'],
      ['Medical assistance provider', 'phone', 'Case opened; transfer authorised.'],
    ],
    summary: 'Both staff recovered; vehicle written off.',
    lessons: 'Winter tyres mandatory November–March; no travel on the M4 with an ice warning.',
  },
  {
    category: 'safety:medical',
    title: 'Staff member collapsed at the office; ambulance called',
    narrative: 'A staff member fainted in a meeting. First aid given; ambulance took them to hospital for checks.',
    severity: 3,
    determination: 'confirmed',
    place: 'office',
    channel: 'app',
    actorType: 'natural',
    hurt: true,
    timeline: [
      [0, 'witness', 'Staff member collapses in the meeting room.'],
      [3, 'officer', 'First aider on site; recovery position.'],
      [14, 'authorities', 'Ambulance arrives.'],
    ],
    summary: 'Staff member discharged the same day.',
    lessons: 'First-aid refresher for the second floor; defibrillator sign moved.',
  },
  {
    category: 'safety:natural_hazard',
    title: 'Earthquake felt in Tbilisi; building checked',
    narrative: 'A magnitude 4.8 earthquake was felt across Tbilisi. Staff evacuated to the assembly point.',
    severity: 2,
    determination: 'confirmed',
    place: 'office',
    channel: 'app',
    actorType: 'natural',
    timeline: [
      [0, 'media', 'Shaking felt for about ten seconds.'],
      [8, 'officer', 'Evacuation to the assembly point; all staff accounted for.'],
      [90, 'officer', 'Building walk-through: no visible damage; staff back inside.'],
    ],
    comms: [['All staff', 'messaging', 'Safety check: all answered safe within 40 minutes.']],
    summary: 'No damage; evacuation in 8 minutes.',
    lessons: 'Assembly point too close to the building façade: moved to the park.',
  },
  {
    category: 'safety:civil_unrest',
    title: 'Clashes near Parliament; staff told to stay home',
    narrative: 'Protests turned violent near Parliament in the evening; tear gas used. Office closed the next day.',
    severity: 3,
    determination: 'confirmed',
    place: 'rustaveli',
    channel: 'app',
    actorType: 'civilian',
    timeline: [
      [0, 'media', 'Clashes reported near Parliament.'],
      [20, 'officer', 'Staff living in the centre contacted; none outside.'],
      [180, 'officer', 'Decision: office closed tomorrow, remote work.'],
    ],
    comms: [
      ['All staff', 'messaging', 'Stay home tomorrow; avoid the centre.'],
      ['HQ security duty officer', 'email', 'Situation report sent.'],
    ],
    summary: 'No staff affected; office closed one day.',
    lessons: 'Call tree worked; two numbers outdated — contact list reviewed.',
  },
  {
    category: 'safety:checkpoint',
    title: 'Vehicle searched at an unofficial checkpoint near the boundary line',
    narrative: 'Men in mixed uniforms stopped the vehicle and searched it; nothing taken, passports photographed.',
    severity: 2,
    determination: 'confirmed',
    place: 'gori',
    channel: 'quick_report',
    actorType: 'non_state_armed_group',
    timeline: [
      [0, 'victim', 'Vehicle stopped by four armed men.'],
      [25, 'victim', 'Vehicle allowed to go on.'],
    ],
    summary: 'Route removed from the approved list.',
    lessons: 'Boundary-line areas need a route reconnaissance before each trip.',
  },
];

interface DemoEvent {
  at: number;
  /** Status the incident is in after the event (for stopping at a target status). */
  status?: IncidentStatus;
  /** Independent of the officer's work (HQ acknowledging, the escalation job): not cut at the target status. */
  independent?: boolean;
  run: () => Promise<void>;
}

export interface DemoIncidentResult {
  incidents: number;
  byStatus: Record<string, number>;
  escalations: number;
  account: { id: string; email: string; role: string; password: string };
}

/**
 * Adds the year of incidents to TBS. `people` are the demo accounts; an HQ security account is created
 * here (it receives and acknowledges the escalations) and returned.
 */
export async function addDemoIncidents(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  notifier: Notifier;
  searchIndexer: SearchIndexer;
  links: RecordLinks;
  tasks: InvestigationTaskPort;
  attachments: InvestigationAttachmentPort;
  users: UserService;
  incidents: IncidentService;
  officeId: string;
  sites: Site[];
  people: { officer: string; head: string; staff: string };
  rand: () => number;
  /** How many incidents over the year (default 52, about one a week). */
  count?: number;
}): Promise<DemoIncidentResult> {
  const { db, audit, users, officeId, rand } = deps;
  const realNow = deps.clock.now().getTime();
  const limit = realNow - MIN;
  const start = realNow - 365 * DAY;
  const past = fixedClock(new Date(start));
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

  await deps.incidents.categories.ensureBuiltInCategories();
  const { user: hqUser, oneTimePassword } = await users.create(systemCtx, {
    email: 'hq@tbs.demo.invalid',
    role: 'hq_security',
    displayName: 'Jonas Specimen (HQ Security)',
    officeCodes: [],
  });

  // The services, on the clock that walks through the year; notifications only for the last few days.
  const notifier: Notifier = {
    notify: (ex, ctx, req) =>
      realNow - past.now().getTime() <= NOTIFY_WINDOW_MS ? deps.notifier.notify(ex, ctx, req) : Promise.resolve(),
  };
  const incidents = createIncidentService({
    db,
    clock: past,
    audit,
    notifier,
    searchIndexer: deps.searchIndexer,
    access: createIncidentAccess(),
    responsibleFor: (ex, id) => users.accounts.inOfficeWithRoles(ex, id, ['security_officer']),
  });
  const escalation = createEscalationService({
    db,
    clock: past,
    audit,
    notifier,
    access: incidents.access,
    markHq: (ex, id, field, at) => incidents.markHq(ex, id, field, at),
    users: users.accounts,
  });
  incidents.onChange(escalation.onIncidentChange);
  const investigation = createInvestigationService({
    db,
    clock: past,
    audit,
    access: createIncidentAccess(),
    links: deps.links,
    tasks: deps.tasks,
    attachments: deps.attachments,
  });

  const ctxOf = async (userId: string): Promise<Ctx> => {
    const u = await db
      .selectFrom('users')
      .innerJoin('persons', 'persons.id', 'users.person_id')
      .select(['users.id', 'users.person_id', 'users.email', 'users.role', 'persons.display_name'])
      .where('users.id', '=', userId)
      .executeTakeFirstOrThrow();
    const role = u.role as Role;
    return {
      actor: {
        userId: u.id,
        personId: u.person_id,
        email: u.email,
        displayName: u.display_name,
        role,
        officeIds: isCrossOffice(role) ? [] : [officeId],
        allOffices: isCrossOffice(role),
        mustChangePassword: false,
        mfaPending: false,
        mfaEnabled: false,
        mfaEnrollmentRequired: false,
        sessionId: null,
        via: 'session',
        tokenScope: null,
      },
      requestId: null,
    };
  };
  const officer = await ctxOf(deps.people.officer);
  const head = await ctxOf(deps.people.head);
  const staff = await ctxOf(deps.people.staff);
  const hq = await ctxOf(hqUser.id);
  const siteOf = (p: Place) => (p.site ? (deps.sites.find((s) => s.kind === p.site)?.id ?? null) : null);

  // When each incident is reported: spread over the year, a few in the last days, the last one minutes ago.
  const n = Math.max(12, deps.count ?? 52);
  const recent = 9;
  const times: number[] = [];
  for (let i = 0; i < n - recent; i++) times.push(start + 2 * DAY + Math.floor(rand() * (345 * DAY)));
  times.sort((a, b) => a - b);
  for (let i = 0; i < recent - 1; i++) times.push(realNow - (12 - i) * DAY - between(0, 8 * 60) * MIN);
  times.push(realNow - 25 * MIN);
  // Where the recent ones stop: every open status; the last one just triaged.
  const recentTargets: IncidentStatus[] = [
    'closed',
    'resolved',
    'awaiting_external',
    'contained',
    'investigating',
    'investigating',
    'triaged',
    'reported',
    'triaged',
  ];
  const order = SCENARIOS.map((_, i) => i);
  const scenarioFor: number[] = [];
  while (scenarioFor.length < n) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    scenarioFor.push(...order);
  }
  // The last (minutes ago) is a severity-4 case, triaged and acknowledged by HQ within minutes.
  const last = SCENARIOS.findIndex((s) => s.severity === 4 && !s.pause);
  scenarioFor[n - 1] = last;
  // The recent ones that must stay open are not rejections; the one awaiting an external party waits for someone.
  for (let i = n - recent; i < n - 1; i++) {
    const target = recentTargets[i - (n - recent)];
    const s = SCENARIOS[scenarioFor[i] as number];
    if (target === 'awaiting_external' && !s?.pause) scenarioFor[i] = SCENARIOS.findIndex((x) => !!x.pause);
    else if (s?.reject || s?.twin) scenarioFor[i] = SCENARIOS.findIndex((x) => x.severity === 2 && !x.twin);
  }

  const byStatus: Record<string, number> = {};
  const previousOf = new Map<string, string>();
  /** The escalation steps of an incident still waiting for HQ (read directly: HQ may not see a sensitive incident). */
  const waiting = async (id: string) =>
    db
      .selectFrom('incident_escalations')
      .select('id')
      .where('incident_id', '=', id)
      .where('kind', '=', 'timer')
      .where('status', 'in', ['open', 'overdue'])
      .orderBy('level')
      .execute();

  for (let i = 0; i < n; i++) {
    const s = SCENARIOS[scenarioFor[i] as number] as Scenario;
    const place: Place = PLACES[s.place];
    const reported = times[i] as number;
    const target: IncidentStatus = i >= n - recent ? (recentTargets[i - (n - recent)] as IncidentStatus) : 'closed';
    const occurred = reported - between(10, s.channel === 'email' ? 90 : 180) * MIN;
    const iso = (ms: number) => new Date(ms).toISOString();
    const at = (ms: number) => past.set(new Date(ms));

    // Reported: by staff from a phone, by the officer for a phone/walk-in caller, or in the app.
    at(reported);
    let id: string;
    const onLocation = place.locationType !== 'online';
    const where = {
      country: place.country,
      city: place.city,
      siteId: siteOf(place),
      locationType: place.locationType as never,
      locationText: place.text,
      ...(onLocation ? { latitude: place.lat, longitude: place.lon } : {}),
    };
    const details = {
      domain: undefined,
      category: s.category,
      determination: s.determination,
      ...where,
      observables: s.observables ?? [],
      affectedAssets: s.assets ?? [],
      impacts: s.impacts ?? {},
      actorType: s.actorType as never,
      tlp: s.tlp ?? 'amber',
      ...(s.hurt !== undefined ? { anyoneHurt: s.hurt } : {}),
    };
    if (s.channel === 'quick_report') {
      const r = await incidents.quickReport(staff, officeId, {
        clientKey: randomUUID(),
        what: s.narrative,
        where: place.text,
        when: iso(occurred),
        anyoneHurt: s.hurt ?? false,
        helpNeeded: s.help ?? '',
        ...(onLocation ? { latitude: place.lat, longitude: place.lon } : {}),
      });
      id = r.incident.id;
    } else {
      const inc = await incidents.create(officer, officeId, {
        title: s.title,
        narrative: s.narrative,
        ...details,
        domain: undefined,
        occurredAt: iso(occurred),
        detectedAt: iso(occurred + Math.floor((reported - occurred) / 3)),
        reportChannel: s.channel,
        ...(s.reporterName ? { reporterName: s.reporterName } : { reporterUserId: deps.people.staff }),
        ...(s.sensitive ? { sensitive: true } : {}),
      });
      id = inc.id;
    }
    const version = async () => (await incidents.getRow(db, systemCtx, id)).version;
    const move = async (ctx: Ctx, to: IncidentStatus, extra: object = {}) => {
      await incidents.transition(ctx, id, { to, version: await version(), ...extra });
    };

    const events: DemoEvent[] = [];
    const sev = s.severity;
    const triageAt = reported + (sev >= 4 ? between(5, 20) : sev === 3 ? between(15, 90) : between(60, 1500)) * MIN;
    if (s.reject) {
      events.push({
        at: triageAt,
        status: 'rejected',
        run: () => move(officer, 'rejected', { reason: s.reject }),
      });
    } else {
      events.push({
        at: triageAt,
        status: 'triaged',
        run: async () => {
          const fields =
            s.channel === 'quick_report'
              ? { title: s.title, ...details, domain: DOMAIN_OF_FAMILY[s.category.split(':')[0] ?? ''], severity: sev }
              : { determination: s.determination, severity: sev };
          await incidents.update(officer, id, JSON.parse(JSON.stringify({ ...fields, version: await version() })));
          await move(officer, 'triaged');
        },
      });
      // HQ acknowledges the escalation; now and then too late, and the job escalates to level 2 first.
      // HQ acknowledges every escalation (the latest, minutes ago, at once), so no demo timer is left running.
      if (sev >= 3) {
        const deadline = sev === 4 ? 60 : 24 * 60;
        const late = i < n - 1 && rand() < 0.2;
        const ackAfter =
          i === n - 1
            ? between(2, 4)
            : late
              ? deadline + between(5, sev === 4 ? 45 : 300)
              : between(sev === 4 ? 8 : 60, sev === 4 ? 50 : 12 * 60);
        if (late)
          events.push({
            at: triageAt + (deadline + 1) * MIN,
            independent: true,
            run: async () => {
              await escalation.runEscalations(past.now());
            },
          });
        events.push({
          at: triageAt + ackAfter * MIN,
          independent: true,
          run: async () => {
            const step = (await waiting(id))[0];
            if (step) await escalation.acknowledge(hq, step.id);
          },
        });
      }
      const investigateAt = triageAt + between(20, 240) * MIN;
      events.push({ at: investigateAt, status: 'investigating', run: () => move(officer, 'investigating') });
      let t = investigateAt + 10 * MIN;
      for (const [offset, source, description] of s.timeline) {
        const when = Math.min(occurred + offset * MIN, t);
        events.push({
          at: t,
          run: async () => {
            await investigation.addTimelineEntry(officer, id, {
              occurredAt: iso(when),
              precision: offset === 0 ? 'approximate' : 'exact',
              description,
              source,
            });
          },
        });
        t += 3 * MIN;
      }
      for (const [k, [recipient, channel, summary]] of (s.comms ?? []).entries()) {
        const when = triageAt + (10 + 15 * k) * MIN;
        events.push({
          at: Math.max(when + 5 * MIN, investigateAt + MIN),
          run: async () => {
            await investigation.addCommunication(officer, id, {
              recipient,
              channel: channel as never,
              summary,
              communicatedAt: iso(when),
              acknowledged: true,
              acknowledgedAt: iso(when + 5 * MIN),
            });
          },
        });
      }
      for (const [k, e] of (s.evidence ?? []).entries()) {
        const acquired = investigateAt + (30 + 20 * k) * MIN;
        let evidenceId = '';
        events.push({
          at: acquired + 10 * MIN,
          run: async () => {
            const row = await incidents.getRow(db, systemCtx, id);
            evidenceId = (
              await investigation.addEvidence(officer, id, {
                label: e.label,
                kind: e.kind as never,
                acquiredAt: iso(acquired),
                acquisitionMethod: e.method,
                storageLocation: e.storage,
                custodian: 'Levan Sample (Security Officer)',
                ...(e.hashed
                  ? { sha256: createHash('sha256').update(`${row.reference}:${e.label}`).digest('hex') }
                  : {}),
              })
            ).id;
          },
        });
        for (const [h, [to, purpose]] of (e.handovers ?? []).entries())
          events.push({
            at: acquired + (h + 1) * 2 * HOUR,
            run: async () => {
              if (evidenceId)
                await investigation.addCustody(officer, evidenceId, {
                  to: to as string,
                  purpose: purpose as string,
                });
            },
          });
      }
      if (s.person)
        events.push({
          at: investigateAt + 5 * MIN,
          run: async () => {
            await incidents.addPerson(officer, id, s.person as never);
          },
        });
      if (s.sensitive || s.category === 'safety:sexual_violence')
        events.push({
          at: investigateAt + 6 * MIN,
          run: async () => {
            const acl = await incidents.getAccess(officer, id);
            await incidents.setAccess(officer, id, { userIds: [deps.people.head], version: acl.version });
          },
        });
      const previous = previousOf.get(s.category);
      if (previous)
        events.push({
          at: investigateAt + 7 * MIN,
          run: async () => {
            await investigation.addLink(officer, id, {
              targetType: 'incident',
              targetId: previous,
              relation: 'related',
              note: 'Same kind of incident earlier this year',
            });
          },
        });
      let containAt = investigateAt + (sev >= 4 ? between(120, 720) : between(60, 2880)) * MIN;
      if (s.pause) {
        const pauseAt = investigateAt + between(2, 24) * HOUR;
        const resumeAt = pauseAt + between(3, 10) * DAY;
        events.push({
          at: pauseAt,
          status: 'awaiting_external',
          run: () => move(officer, 'awaiting_external', { reason: `Waiting for ${s.pause}` }),
        });
        events.push({ at: resumeAt, status: 'investigating', run: () => move(officer, 'investigating') });
        containAt = resumeAt + between(60, 600) * MIN;
      }
      events.push({ at: containAt, status: 'contained', run: () => move(officer, 'contained') });
      const resolveAt = containAt + between(1, 10) * DAY;
      events.push({
        at: resolveAt,
        status: 'resolved',
        run: async () => {
          await move(officer, 'resolved');
          await incidents.update(officer, id, {
            reviewerUserId: deps.people.head,
            closingSummary: s.summary,
            lessonsLearned: s.lessons,
            version: await version(),
          });
        },
      });
      const reviewAt = resolveAt + between(4, 72) * HOUR;
      events.push({
        at: reviewAt,
        run: async () => {
          await incidents.review(head, id, {
            decision: 'approve',
            note: 'Handled well; agree with the lessons learned.',
            version: await version(),
          });
        },
      });
      events.push({
        at: reviewAt + between(1, 48) * HOUR,
        status: 'closed',
        run: () => move(officer, 'closed'),
      });
    }
    // A second report of the same event, by staff from a phone: marked as a duplicate of the first.
    if (s.twin) {
      let twinId = '';
      events.push({
        at: reported + 20 * MIN,
        independent: true,
        run: async () => {
          const r = await incidents.quickReport(staff, officeId, {
            clientKey: randomUUID(),
            what: s.twin as string,
            where: place.text,
            when: iso(reported + 10 * MIN),
            anyoneHurt: false,
            helpNeeded: '',
          });
          twinId = r.incident.id;
          byStatus.reported = (byStatus.reported ?? 0) + 1;
        },
      });
      events.push({
        at: reported + 45 * MIN,
        independent: true,
        run: async () => {
          if (!twinId) return;
          const twin = await incidents.getRow(db, systemCtx, twinId);
          await incidents.transition(officer, twinId, { to: 'duplicate', version: twin.version, duplicateOf: id });
          byStatus.reported = (byStatus.reported ?? 1) - 1;
          byStatus.duplicate = (byStatus.duplicate ?? 0) + 1;
        },
      });
    }

    // Play the events in time order, up to the target status and never past now.
    events.sort((a, b) => a.at - b.at);
    const stopAt = target === 'reported' ? reported : events.find((e) => e.status === target)?.at;
    for (const e of events) {
      if (e.at > limit) continue;
      if (!e.independent && stopAt !== undefined && e.at > stopAt) continue;
      at(e.at);
      await e.run();
    }
    const row = await incidents.getRow(db, systemCtx, id);
    byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    previousOf.set(s.category, id);
  }

  const escalations = await db
    .selectFrom('incident_escalations')
    .innerJoin('incidents', 'incidents.id', 'incident_escalations.incident_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('incidents.office_id', '=', officeId)
    .executeTakeFirstOrThrow();
  return {
    incidents: Object.values(byStatus).reduce((a, b) => a + b, 0),
    byStatus,
    escalations: Number(escalations.n),
    account: { id: hqUser.id, email: hqUser.email, role: 'hq_security', password: oneTimePassword ?? '' },
  };
}

/** The scenarios' categories, for tests. */
export const DEMO_INCIDENT_CATEGORIES: readonly string[] = [...new Set(SCENARIOS.map((s) => s.category))];

/** An office of the bulk generator, with the places its incidents happen in. */
export interface BulkIncidentOffice {
  id: string;
  code: string;
  places: { city: string; country: string; lat: number; lon: number }[];
}

/** One incident row and its `incident.create` audit entry, ready for a multi-row insert. */
export interface BulkIncident {
  row: IncidentRow;
  entry: AuditEntry & { at: string; id: string };
}

const BULK_WORDS: Record<string, string[]> = {
  cyber: ['Suspicious e-mail', 'Malware alert on a laptop', 'Password typed on a fake page', 'Unusual sign-in'],
  infosec: ['Document sent to the wrong address', 'Laptop left in a taxi', 'USB stick lost', 'Printout found'],
  physical: ['Attempted entry at the gate', 'Theft from a parked vehicle', 'Unattended bag', 'Person filming'],
  safety: ['Road accident on a field trip', 'Staff member taken ill', 'Verbal threat', 'Demonstration blocks route'],
  other: ['Incident reported by phone'],
};

/**
 * Incidents for the bulk generator (`large`: 200,000 across the offices, issue #5's benchmark): rows in
 * their final state, valid for the API — categories from the built-in catalogue, references unique per
 * office and year (`OFFICE-YYYY-NNN`), JSON columns valid, times consistent with the status (acknowledged
 * before contained before closed; HQ notified for severity 3 and 4) — spread over the year ending at
 * `endMs`, most of them closed, the recent ones still open. `count` are made in reporting order, yielded
 * in batches; each has an `incident.create` audit entry at its report time. Deterministic for a seed.
 */
export function* bulkIncidents(opts: {
  offices: readonly BulkIncidentOffice[];
  count: number;
  seed: number;
  startMs: number;
  endMs: number;
  batch: number;
  id: (ms: number) => string;
}): Generator<BulkIncident[]> {
  const { offices, count, startMs, endMs } = opts;
  if (offices.length === 0 || count <= 0) return;
  let state = opts.seed >>> 0 || 1;
  const rand = () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const cats = BUILT_IN_CATEGORIES.filter((c) => c.domain !== 'mixed');
  const seqs = new Map<string, number>();
  const span = endMs - startMs;
  const iso = (ms: number) => new Date(ms).toISOString();
  let out: BulkIncident[] = [];
  for (let i = 0; i < count; i++) {
    // Evenly through the year, with a little jitter that keeps the order.
    const reported = startMs + Math.floor(((i + rand() * 0.9) * span) / count);
    const office = offices[Math.floor(rand() * offices.length)] as BulkIncidentOffice;
    const year = new Date(reported).getUTCFullYear();
    const key = `${office.code}:${year}`;
    const seq = (seqs.get(key) ?? 0) + 1;
    seqs.set(key, seq);
    const cat = pick(cats);
    const family = cat.code.split(':')[0] ?? 'other';
    const x = rand();
    const severity = x < 0.55 ? 1 : x < 0.9 ? 2 : x < 0.985 ? 3 : 4;
    const age = endMs - reported;
    const y = rand();
    const status: IncidentStatus =
      age > 45 * DAY
        ? y < 0.93
          ? 'closed'
          : y < 0.97
            ? 'rejected'
            : 'duplicate'
        : (pick([
            'reported',
            'triaged',
            'investigating',
            'investigating',
            'contained',
            'awaiting_external',
            'resolved',
            'closed',
            'closed',
            'rejected',
          ]) as IncidentStatus);
    const rank = ['reported', 'triaged', 'investigating', 'contained', 'resolved', 'closed'];
    const reached = (s: string) =>
      status === 'awaiting_external' ? rank.indexOf(s) <= 2 : rank.indexOf(s) <= rank.indexOf(status);
    const ack = reported + (severity >= 3 ? 5 + rand() * 60 : 30 + rand() * 1440) * MIN;
    const contained = ack + (60 + rand() * (severity >= 3 ? 720 : 4320)) * MIN;
    const resolved = contained + (1 + rand() * 9) * DAY;
    const reviewed = resolved + (4 + rand() * 68) * HOUR;
    const closed = reviewed + (1 + rand() * 47) * HOUR;
    const clampNow = (ms: number) => Math.min(Math.floor(ms), endMs - MIN);
    const done = status === 'closed';
    const pausedSince = status === 'awaiting_external' ? clampNow(ack + (2 + rand() * 20) * HOUR) : null;
    const hq = severity >= 3 && status !== 'rejected' && status !== 'duplicate' && reached('triaged');
    const place = pick(office.places);
    const onLocation = family !== 'cyber';
    const lat = Math.round((place.lat + (rand() - 0.5) * 0.08) * 1e6) / 1e6;
    const lon = Math.round((place.lon + (rand() - 0.5) * 0.08) * 1e6) / 1e6;
    const title = `${pick(BULK_WORDS[family] ?? (BULK_WORDS.other as string[]))} — ${place.city}`;
    const id = opts.id(reported);
    const at = iso(reported);
    const reference = `${office.code}-${year}-${String(seq).padStart(3, '0')}`;
    const sensitive = cat.sensitive || rand() < 0.005 ? 1 : 0;
    const lastChange = done
      ? closed
      : status === 'resolved'
        ? resolved
        : status === 'contained'
          ? contained
          : (pausedSince ?? (reached('triaged') ? ack : reported));
    const row: IncidentRow = {
      id,
      office_id: office.id,
      reference,
      ref_year: year,
      ref_seq: seq,
      title,
      narrative: `${title}. Reported to the security officer; see the timeline.`,
      domain: cat.domain,
      category: cat.code,
      determination:
        status === 'rejected' ? 'false_positive' : pick(['suspected', 'confirmed', 'confirmed', 'attempt']),
      severity: status === 'reported' ? null : severity,
      status,
      status_before_pause: pausedSince ? 'investigating' : null,
      paused_seconds: 0,
      paused_since: pausedSince ? iso(pausedSince) : null,
      pause_log: '[]',
      occurred_at: iso(reported - (10 + rand() * 170) * MIN),
      detected_at: iso(reported - 5 * MIN),
      reported_at: at,
      acknowledged_at: reached('triaged') ? iso(clampNow(ack)) : null,
      contained_at: reached('contained') ? iso(clampNow(contained)) : null,
      hq_notified_at: hq ? iso(clampNow(ack + MIN)) : null,
      hq_acknowledged_at: hq && (done || rand() < 0.8) ? iso(clampNow(ack + (5 + rand() * 120) * MIN)) : null,
      resolved_at: reached('resolved') ? iso(clampNow(resolved)) : null,
      closed_at: done ? iso(clampNow(closed)) : null,
      country: place.country,
      city: place.city,
      site_id: null,
      location_type: onLocation ? pick(['office', 'residence', 'vehicle', 'road', 'public_place']) : 'online',
      location_text: onLocation ? `${place.city} (fictitious address)` : 'E-mail and web services',
      latitude: onLocation ? lat : null,
      longitude: onLocation ? lon : null,
      report_channel: pick(['app', 'quick_report', 'phone', 'walk_in', 'email']),
      reporter_user_id: null,
      reporter_name: 'Demo reporter',
      owner_user_id: null,
      reviewer_user_id: null,
      reviewed_at: done ? iso(clampNow(reviewed)) : null,
      review_note: done ? 'Approved.' : null,
      affected_assets: '[]',
      observables:
        family === 'cyber'
          ? JSON.stringify([{ type: 'ipv4', value: `203.0.113.${1 + Math.floor(rand() * 254)}` }])
          : '[]',
      impacts: '{}',
      actor_type: pick(['unknown', 'criminal', 'unknown']),
      anyone_hurt: family === 'safety' ? (rand() < 0.3 ? 1 : 0) : null,
      help_needed: null,
      tlp: pick(['amber', 'amber', 'green', 'red']),
      classification: null,
      sensitive,
      closing_summary: done ? 'Handled; no further action.' : null,
      lessons_learned: done ? 'Briefing repeated to the staff concerned.' : null,
      duplicate_of: null,
      client_key: null,
      created_by: null,
      created_at: at,
      updated_at: iso(clampNow(lastChange)),
      version: 1 + rank.filter((s) => reached(s)).length,
    };
    out.push({
      row,
      entry: {
        id: opts.id(reported),
        at,
        action: 'incident.create',
        entityType: 'incident',
        entityId: id,
        officeId: office.id,
        changes: { reference, title, category: cat.code, severity: row.severity, status: 'reported' },
      },
    });
    if (out.length >= opts.batch) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

/** Multi-row inserts of incident rows, in statements small enough for SQLite's and PostgreSQL's parameter limits. */
export async function insertIncidentRows(ex: Kysely<DB>, rows: readonly IncidentRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 400)
    await ex
      .insertInto('incidents')
      .values(rows.slice(i, i + 400))
      .execute();
}
