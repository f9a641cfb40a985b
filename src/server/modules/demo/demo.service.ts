import type { Kysely } from 'kysely';
import type { Office } from '../../../shared/offices/offices.schemas.ts';
import type { Person } from '../../../shared/people/people.schemas.ts';
import type { Site, SiteCreateInput } from '../../../shared/sites/sites.schemas.ts';
import type { DB } from '../../db/schema.ts';
import { type Ctx, systemCtx } from '../../lib/auth.ts';
import type { Clock } from '../../lib/clock.ts';
import { Conflict, Invalid } from '../../lib/errors.ts';
import type { Notifier, RecordLinks, SearchIndexer } from '../../lib/ports.ts';
import type { AuditEntry, AuditService } from '../audit/audit.service.ts';
import type { ChecklistService } from '../checklists/checklists.service.ts';
import type { IncidentService } from '../incidents/incidents.service.ts';
import type { InvestigationAttachmentPort } from '../incidents/investigation.service.ts';
import type { OfficeService } from '../offices/offices.service.ts';
import type { PeopleService } from '../people/people.service.ts';
import type { SearchService } from '../search/search.service.ts';
import type { SiteService } from '../sites/sites.service.ts';
import type { TaskService } from '../tasks/tasks.service.ts';
import type { UserService } from '../users/users.service.ts';
import { addDemoIncidents, bulkIncidents, type DemoIncidentResult, insertIncidentRows } from './demo.incidents.ts';
import * as repo from './demo.repository.ts';
import { addDemoWork } from './demo.work.ts';

/**
 * The demo office: TBS, a liaison office in Tbilisi covering Georgia, Armenia and Azerbaijan.
 * Every name, address and number is fictitious. Each module adds its own demo records here.
 */
export type DemoScale = 'small' | 'medium' | 'large';

/**
 * Volumes for the bulk generator (issue #6): a year of history on a synthetic timeline, written with
 * multi-row inserts in a few large transactions instead of one service call (and one fsync) per record.
 */
export interface DemoVolume {
  /** 1 to 10: TBS, then the other demo offices. */
  offices: number;
  peoplePerOffice: number;
  /** Sites of TBS, its five named sites included. */
  sitesFirstOffice: number;
  /** Sites of every other office, its premises included. */
  sitesPerOtherOffice: number;
  /** Length of the audit trail wanted: one entry per record created, then a history of changes up to this number. */
  auditEntries: number;
  /** Every n-th staff member has an account (staff role, no password until one is set); 0 for none. */
  accountEvery: number;
  /**
   * Search documents wanted in all: the generated records' own (offices and sites, indexed like
   * `outpost search reindex` does), then filler documents up to this number (search.filler.ts: text
   * like the incidents, tasks and inspections to come, but no records behind them). 0 or unset: none.
   */
  searchDocuments?: number;
  /** Incidents across the offices (issue #5's benchmark: 200,000), in their final state; 0 or unset: none. */
  incidents?: number;
}

/** `large` as issue #6 defines it (incidents and the other modules add theirs as they land). */
export const LARGE_VOLUME: DemoVolume = {
  offices: 10,
  peoplePerOffice: 50,
  sitesFirstOffice: 10_000,
  sitesPerOtherOffice: 10_000,
  auditEntries: 2_000_000,
  accountEvery: 10,
  // Issue #4: search over a million records. 100,010 are the offices' and sites' documents; the rest is filler.
  searchDocuments: 1_000_000,
  // Issue #5: listing, filtering and the metrics dashboard over 200,000 incidents.
  incidents: 200_000,
};

const SCALES: Record<DemoScale, { offices: number; peoplePerOffice: number; bulk?: DemoVolume }> = {
  small: { offices: 1, peoplePerOffice: 15 },
  medium: { offices: 3, peoplePerOffice: 30 },
  large: { offices: 10, peoplePerOffice: 50, bulk: LARGE_VOLUME },
};

/** A small deterministic generator (mulberry32): the same seed gives the same demo. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FIRST = [
  'Nino',
  'Giorgi',
  'Ana',
  'Levan',
  'Mariam',
  'Davit',
  'Tamar',
  'Armen',
  'Lusine',
  'Aysel',
  'Rashad',
  'Claire',
  'Pierre',
  'Emma',
  'Lukas',
  'Sofia',
  'Jonas',
  'Elif',
  'Marco',
  'Ines',
];
const LAST = [
  'Example',
  'Sample',
  'Placeholder',
  'Fictional',
  'Demo',
  'Specimen',
  'Testova',
  'Mockridze',
  'Dummyan',
  'Exemplov',
];
const TITLES = [
  'Political Adviser',
  'Programme Officer',
  'Administrative Assistant',
  'Driver',
  'IT Assistant',
  'Finance Assistant',
  'Public Diplomacy Officer',
  'Receptionist',
  'Guard Supervisor',
  'Interpreter',
];

const TBS_SITES: SiteCreateInput[] = [
  {
    name: 'Liaison Office Tbilisi — main premises',
    kind: 'office_premises',
    address: '7 Example Street, Vake (fictitious)',
    city: 'Tbilisi',
    country: 'GE',
    latitude: 41.7089,
    longitude: 44.7669,
    notes: 'Reception on the ground floor; secure room on the 3rd floor.',
  },
  {
    name: 'Staff residence compound Saburtalo',
    kind: 'residence_compound',
    address: '21 Sample Lane (fictitious)',
    city: 'Tbilisi',
    country: 'GE',
    latitude: 41.7265,
    longitude: 44.7495,
    notes: null,
  },
  {
    name: 'Equipment store',
    kind: 'warehouse',
    address: 'Unit 4, Demo Industrial Park (fictitious)',
    city: 'Tbilisi',
    country: 'GE',
    latitude: 41.6869,
    longitude: 44.8953,
    notes: 'Generator fuel, spare radios, grab bags.',
  },
  {
    name: 'Yerevan liaison desk',
    kind: 'office_premises',
    address: '3 Placeholder Avenue (fictitious)',
    city: 'Yerevan',
    country: 'AM',
    latitude: 40.1811,
    longitude: 44.5136,
    notes: null,
  },
  {
    name: 'Baku liaison desk',
    kind: 'office_premises',
    address: '15 Specimen Street (fictitious)',
    city: 'Baku',
    country: 'AZ',
    latitude: 40.3777,
    longitude: 49.892,
    notes: null,
  },
];

const OTHER_OFFICES = [
  {
    code: 'KIV',
    name: 'Liaison Office Chișinău',
    countries: ['MD'],
    timezone: 'Europe/Chisinau',
    city: 'Chișinău',
    country: 'MD',
    lat: 47.0105,
    lon: 28.8638,
  },
  {
    code: 'PRN',
    name: 'Field Office Pristina',
    countries: ['XK'],
    timezone: 'Europe/Belgrade',
    city: 'Pristina',
    country: 'XK',
    lat: 42.6629,
    lon: 21.1655,
  },
  {
    code: 'SJJ',
    name: 'Field Office Sarajevo',
    countries: ['BA'],
    timezone: 'Europe/Sarajevo',
    city: 'Sarajevo',
    country: 'BA',
    lat: 43.8563,
    lon: 18.4131,
  },
  {
    code: 'SKP',
    name: 'Liaison Office Skopje',
    countries: ['MK'],
    timezone: 'Europe/Skopje',
    city: 'Skopje',
    country: 'MK',
    lat: 41.9981,
    lon: 21.4254,
  },
  {
    code: 'TIA',
    name: 'Field Office Tirana',
    countries: ['AL'],
    timezone: 'Europe/Tirane',
    city: 'Tirana',
    country: 'AL',
    lat: 41.3275,
    lon: 19.8187,
  },
  {
    code: 'KBP',
    name: 'Liaison Office Kyiv',
    countries: ['UA'],
    timezone: 'Europe/Kyiv',
    city: 'Kyiv',
    country: 'UA',
    lat: 50.4501,
    lon: 30.5234,
  },
  {
    code: 'ALA',
    name: 'Field Office Almaty',
    countries: ['KZ', 'KG'],
    timezone: 'Asia/Almaty',
    city: 'Almaty',
    country: 'KZ',
    lat: 43.222,
    lon: 76.8512,
  },
  {
    code: 'BEG',
    name: 'Liaison Office Belgrade',
    countries: ['RS'],
    timezone: 'Europe/Belgrade',
    city: 'Belgrade',
    country: 'RS',
    lat: 44.7866,
    lon: 20.4489,
  },
  {
    code: 'TGD',
    name: 'Field Office Podgorica',
    countries: ['ME'],
    timezone: 'Europe/Podgorica',
    city: 'Podgorica',
    country: 'ME',
    lat: 42.4304,
    lon: 19.2594,
  },
];

/** Towns of TBS's three countries, for its generated sites. */
const TBS_PLACES = [
  { city: 'Tbilisi', country: 'GE', lat: 41.7151, lon: 44.8271 },
  { city: 'Kutaisi', country: 'GE', lat: 42.2679, lon: 42.6946 },
  { city: 'Batumi', country: 'GE', lat: 41.6168, lon: 41.6367 },
  { city: 'Yerevan', country: 'AM', lat: 40.1792, lon: 44.4991 },
  { city: 'Baku', country: 'AZ', lat: 40.4093, lon: 49.8671 },
];
const DISTRICTS = ['Old Town', 'Riverside', 'Hillside', 'Central', 'North', 'East', 'West', 'Airport', 'University'];
const STREETS = ['Example Street', 'Sample Lane', 'Placeholder Avenue', 'Specimen Road', 'Demo Square'];
/** Kinds of generated sites and how common each is. */
const SITE_MIX: [Site['kind'], number, string][] = [
  ['residence_compound', 0.5, 'Residence'],
  ['office_premises', 0.15, 'Project office'],
  ['warehouse', 0.15, 'Store'],
  ['other', 0.2, 'Meeting point'],
];
const CHECKS = [
  'access control working; guard roster complete.',
  'generator tested under load; fuel for 72 h.',
  'new CCTV camera at the gate.',
  'safe room stocked; radios charged.',
  'fire extinguishers serviced.',
  'perimeter light repaired.',
  'evacuation route walked with the staff.',
];

export interface DemoResult {
  offices: string[];
  sites: number;
  people: number;
  accounts: { email: string; role: string; password: string }[];
  /** Tasks and checklist runs of TBS (every scale). */
  work?: { tasks: number; runs: number };
  /** Length of the audit trail written by the bulk generator (not set for small and medium). */
  auditEntries?: number;
  /** TBS's year of incidents (small and medium): how many, in which status, escalation steps recorded. */
  incidents?: Omit<DemoIncidentResult, 'account'>;
  /** Incidents written by the bulk generator (large). */
  bulkIncidents?: number;
}

/** A 32-bit mix of small integers (FNV-1a style), to seed one generator per record. */
function mix(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 0x01000193);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

const hex = (n: number, width: number) => Math.floor(n).toString(16).padStart(width, '0');

/** A UUIDv7 for a moment of the generated history, its random bits from the seeded generator. */
export function idAt(ms: number, rand: () => number): string {
  const t = hex(ms, 12);
  return `${t.slice(0, 8)}-${t.slice(8)}-7${hex(rand() * 0x1000, 3)}-${hex(0x8000 + rand() * 0x4000, 4)}-${hex(rand() * 0x1_0000_0000, 8)}${hex(rand() * 0x1_0000, 4)}`;
}

function shuffle<T>(a: T[], rand: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

function checkVolume(v: DemoVolume): void {
  const whole = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;
  if (!whole(v.offices, 1, 1 + OTHER_OFFICES.length)) throw new Invalid('offices must be a whole number from 1 to 10.');
  if (v.searchDocuments !== undefined && !whole(v.searchDocuments, 0, 50_000_000))
    throw new Invalid('searchDocuments must be a whole number from 0 to 50,000,000.');
  if (v.incidents !== undefined && !whole(v.incidents, 0, 5_000_000))
    throw new Invalid('incidents must be a whole number from 0 to 5,000,000.');
  for (const k of [
    'peoplePerOffice',
    'sitesFirstOffice',
    'sitesPerOtherOffice',
    'auditEntries',
    'accountEvery',
  ] as const)
    if (!whole(v[k], 0, 50_000_000)) throw new Invalid(`${k} must be a whole number from 0 to 50,000,000.`);
}

// Event kinds of the generated timeline.
const OFFICE_CREATE = 0;
const SITE_CREATE = 1;
const PERSON_CREATE = 2;
const USER_CREATE = 3;
const SITE_UPDATE = 4;
const PERSON_UPDATE = 5;

const HISTORY_MS = 365 * 86_400_000;
/** Events per transaction: big enough that commits (fsyncs) do not dominate, small enough to bound memory. */
const CHUNK_EVENTS = 20_000;

interface OfficeInfo {
  code: string;
  name: string;
  countries: string[];
  timezone: string;
  places: { city: string; country: string; lat: number; lon: number }[];
}

function officeInfos(n: number): OfficeInfo[] {
  return [
    {
      code: 'TBS',
      name: 'Liaison Office Tbilisi',
      countries: ['GE', 'AM', 'AZ'],
      timezone: 'Asia/Tbilisi',
      places: TBS_PLACES,
    },
    ...OTHER_OFFICES.slice(0, n - 1).map((o) => ({
      code: o.code,
      name: o.name,
      countries: o.countries,
      timezone: o.timezone,
      places: [{ city: o.city, country: o.country, lat: o.lat, lon: o.lon }],
    })),
  ];
}

/**
 * The timeline: which event happens at each position, and the final version of every record, decided
 * before anything is written so that each row is inserted once, in its final state, when it is created.
 */
function planTimeline(v: DemoVolume, offices: OfficeInfo[], seed: number) {
  const rand = seededRandom(mix(seed, 1));
  const named = [TBS_SITES.length, ...offices.slice(1).map(() => 1)];
  const siteOffice: number[] = [];
  named.forEach((n, o) => {
    for (let i = 0; i < n; i++) siteOffice.push(o);
  });
  const namedSites = siteOffice.length;
  const bulk: number[] = [];
  offices.forEach((_, o) => {
    const want = o === 0 ? v.sitesFirstOffice : v.sitesPerOtherOffice;
    for (let i = named[o] ?? 0; i < want; i++) bulk.push(o);
  });
  siteOffice.push(...shuffle(bulk, rand));
  const personOffice = shuffle(
    offices.flatMap((_, o) => Array.from({ length: v.peoplePerOffice }, () => o)),
    rand,
  );
  const nSites = siteOffice.length;
  const nPersons = personOffice.length;
  const hasAccount = (p: number) => v.accountEvery > 0 && p % v.accountEvery === 0;
  let remainingCreates = nSites - namedSites + nPersons;
  for (let p = 0; p < nPersons; p++) if (hasAccount(p)) remainingCreates++;
  const total = Math.max(v.auditEntries, offices.length + namedSites + remainingCreates);

  const kind = new Uint8Array(total);
  const target = new Int32Array(total);
  const siteVersion = new Int32Array(nSites).fill(1);
  const siteLast = new Int32Array(nSites);
  const personVersion = new Int32Array(nPersons).fill(1);
  const personLast = new Int32Array(nPersons);
  let e = 0;
  const put = (k: number, t: number) => {
    kind[e] = k;
    target[e] = t;
    e++;
  };
  for (let o = 0; o < offices.length; o++) put(OFFICE_CREATE, o);
  for (let i = 0; i < namedSites; i++) {
    siteLast[i] = e;
    put(SITE_CREATE, i);
  }
  let nextSite = namedSites;
  let nextPerson = 0;
  while (e < total) {
    if (rand() * (total - e) < remainingCreates) {
      const sitesLeft = nSites - nextSite;
      if (rand() * (sitesLeft + nPersons - nextPerson) < sitesLeft) {
        siteLast[nextSite] = e;
        put(SITE_CREATE, nextSite++);
        remainingCreates--;
      } else {
        personLast[nextPerson] = e;
        put(PERSON_CREATE, nextPerson);
        remainingCreates--;
        if (hasAccount(nextPerson)) {
          put(USER_CREATE, nextPerson);
          remainingCreates--;
        }
        nextPerson++;
      }
    } else if (nextPerson > 0 && rand() < 0.2) {
      const p = Math.floor(rand() * nextPerson);
      personVersion[p] = (personVersion[p] ?? 1) + 1;
      personLast[p] = e;
      put(PERSON_UPDATE, p);
    } else {
      const i = Math.floor(rand() * nextSite);
      siteVersion[i] = (siteVersion[i] ?? 1) + 1;
      siteLast[i] = e;
      put(SITE_UPDATE, i);
    }
  }
  return { total, kind, target, siteOffice, personOffice, siteVersion, siteLast, personVersion, personLast };
}

export function createDemoService(deps: {
  offices: OfficeService;
  sites: SiteService;
  people: PeopleService;
  users: UserService;
  audit: AuditService;
  db: Kysely<DB>;
  clock: Clock;
  /** When given, the bulk generator indexes what it writes (and adds filler documents, see DemoVolume). */
  search?: SearchService;
  /** When given, TBS gets its work in progress: tasks, checklist runs and the notifications they cause. */
  tasks?: TaskService;
  checklists?: ChecklistService;
  /** When given (with the ports below), TBS gets a year of incidents (demo.incidents.ts). */
  incidents?: IncidentService;
  notifier?: Notifier;
  searchIndexer?: SearchIndexer;
  links?: RecordLinks;
  attachments?: InvestigationAttachmentPort;
}) {
  const { offices, sites, people, users, audit, db, clock, search } = deps;

  async function addPeople(ctx: Ctx, officeId: string, n: number, rand: () => number) {
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
    for (let i = 0; i < n; i++) {
      const first = pick(FIRST);
      const last = pick(LAST);
      await people.create(ctx, officeId, {
        displayName: `${first} ${last}`,
        email: `${first}.${last}.${i}@demo.invalid`.toLowerCase(),
        jobTitle: pick(TITLES),
        phone: `+000 ${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`,
      });
    }
  }

  async function assertNotLoaded(ctx: Ctx) {
    const existing = await offices.getByCode(ctx, 'TBS').catch(() => null);
    if (existing) throw new Conflict('The demo office TBS is already loaded.');
  }

  async function addAccounts(ctx: Ctx): Promise<(DemoResult['accounts'][number] & { id: string })[]> {
    const accounts: (DemoResult['accounts'][number] & { id: string })[] = [];
    for (const [email, role, name] of [
      ['head@tbs.demo.invalid', 'head_of_office', 'Claire Example (Head of Office)'],
      ['officer@tbs.demo.invalid', 'security_officer', 'Levan Sample (Security Officer)'],
      ['staff@tbs.demo.invalid', 'staff', 'Mariam Placeholder'],
    ] as const) {
      const { user, oneTimePassword } = await users.create(ctx, {
        email,
        role,
        displayName: name,
        officeCodes: ['TBS'],
      });
      accounts.push({ id: user.id, email, role, password: oneTimePassword ?? '' });
    }
    return accounts;
  }

  /**
   * TBS's year of incidents through the services (demo.incidents.ts), when the incident services are wired:
   * the HQ security account it creates is returned with the counts.
   */
  async function addIncidentYear(
    tbsId: string,
    accounts: readonly { id: string; role: string }[],
    seed: number,
  ): Promise<{ account: DemoResult['accounts'][number] & { id: string }; incidents: DemoResult['incidents'] } | null> {
    const { incidents: inc, notifier, searchIndexer, links, attachments, tasks } = deps;
    if (!(inc && notifier && searchIndexer && links && attachments && tasks)) return null;
    const idOf = (role: string) => accounts.find((a) => a.role === role)?.id ?? '';
    const { account, ...rest } = await addDemoIncidents({
      db,
      clock,
      audit,
      notifier,
      searchIndexer,
      links,
      tasks,
      attachments,
      users,
      incidents: inc,
      officeId: tbsId,
      sites: (await sites.list(systemCtx, tbsId, { sort: 'name', limit: 50 })).items,
      people: { officer: idOf('security_officer'), head: idOf('head_of_office'), staff: idOf('staff') },
      rand: seededRandom(seed + 5),
    });
    return { account, incidents: rest };
  }

  /** Record by record through the services: the small demos, whose audit trail reads like a real first day. */
  /** TBS's work in progress (tasks, checklist runs, their notifications), when the services are given. */
  async function addWork(
    officeId: string,
    accounts: readonly { id: string; role: string }[],
  ): Promise<DemoResult['work']> {
    if (!deps.tasks || !deps.checklists) return undefined;
    const idOf = (role: string) => accounts.find((a) => a.role === role)?.id ?? '';
    return addDemoWork({
      tasks: deps.tasks,
      checklists: deps.checklists,
      clock,
      officeId,
      sites: (await sites.list(systemCtx, officeId, { sort: 'name', limit: 50 })).items,
      people: { officer: idOf('security_officer'), head: idOf('head_of_office'), staff: idOf('staff') },
    });
  }

  async function loadThroughServices(scale: 'small' | 'medium', seed: number): Promise<DemoResult> {
    const ctx = systemCtx;
    const rand = seededRandom(seed);
    const size = SCALES[scale];
    await assertNotLoaded(ctx);
    const tbs = await offices.create(ctx, {
      code: 'TBS',
      name: 'Liaison Office Tbilisi',
      countries: ['GE', 'AM', 'AZ'],
      timezone: 'Asia/Tbilisi',
      defaultLanguage: 'en',
    });
    for (const s of TBS_SITES) await sites.create(ctx, tbs.id, s);
    await addPeople(ctx, tbs.id, size.peoplePerOffice, rand);
    const codes = ['TBS'];
    let siteCount = TBS_SITES.length;
    for (const o of OTHER_OFFICES.slice(0, size.offices - 1)) {
      const office = await offices.create(ctx, {
        code: o.code,
        name: o.name,
        countries: o.countries,
        timezone: o.timezone,
        defaultLanguage: rand() < 0.3 ? 'fr' : 'en',
      });
      await sites.create(ctx, office.id, {
        name: `${o.name} — premises`,
        kind: 'office_premises',
        address: 'Demo address (fictitious)',
        city: o.city,
        country: o.country,
        latitude: o.lat,
        longitude: o.lon,
      });
      siteCount++;
      await addPeople(ctx, office.id, size.peoplePerOffice, rand);
      codes.push(o.code);
    }
    const accounts = await addAccounts(ctx);
    const work = await addWork(tbs.id, accounts);
    const year = await addIncidentYear(tbs.id, accounts, seed);
    if (year) accounts.push(year.account);
    const incidents = year?.incidents;
    return {
      offices: codes,
      sites: siteCount,
      people: size.offices * size.peoplePerOffice + accounts.length,
      accounts: accounts.map(({ id: _id, ...a }) => a),
      ...(work ? { work } : {}),
      ...(incidents ? { incidents } : {}),
    };
  }

  /**
   * The bulk generator: a year of history ending a minute ago, deterministic for a seed and a clock (ids
   * included). Rows go in with multi-row inserts through this module's repository and the audit trail is
   * appended in order with audit.recordMany, so the hash chain verifies as if every change had been made
   * through the API. Each transaction holds CHUNK_EVENTS events; the three demo accounts come last.
   */
  async function generate(
    v: DemoVolume,
    seed = 42,
    onProgress?: (done: number, total: number) => void,
  ): Promise<DemoResult> {
    checkVolume(v);
    const ctx = systemCtx;
    await assertNotLoaded(ctx);
    const infos = officeInfos(v.offices);
    const plan = planTimeline(v, infos, seed);
    const end = clock.now().getTime() - 60_000;
    const start = end - HISTORY_MS;
    const timeOf = (e: number) => start + Math.floor(((e + 1) * HISTORY_MS) / (plan.total + 1));
    const iso = (e: number) => new Date(timeOf(e)).toISOString();
    const idRand = seededRandom(mix(seed, 2));

    const officeRows: Office[] = [];
    const siteIds: string[] = [];
    const personIds: string[] = [];
    const siteNow = new Int32Array(plan.siteOffice.length).fill(1);
    const siteNowAt = new Int32Array(plan.siteOffice.length);
    const personNow = new Int32Array(plan.personOffice.length).fill(1);

    const siteNotes = (i: number, version: number, e: number, first: string | null) =>
      version === 1 ? first : `Checked ${iso(e).slice(0, 10)}: ${CHECKS[(i + version) % CHECKS.length]}`;

    /** A site's fixed fields, from a generator of its own so they do not depend on the order of writing. */
    const siteFields = (i: number): Omit<Site, 'id' | 'officeId' | 'version' | 'createdAt' | 'updatedAt'> => {
      const o = plan.siteOffice[i] ?? 0;
      const info = infos[o] as OfficeInfo;
      if (o === 0 && i < TBS_SITES.length) {
        const s = TBS_SITES[i] as SiteCreateInput;
        return {
          name: s.name,
          kind: s.kind,
          address: s.address ?? null,
          city: s.city ?? null,
          country: s.country,
          latitude: s.latitude ?? null,
          longitude: s.longitude ?? null,
          notes: s.notes ?? null,
        };
      }
      const place = info.places[0] as OfficeInfo['places'][number];
      if (i < TBS_SITES.length + v.offices - 1) {
        return {
          name: `${info.name} — premises`,
          kind: 'office_premises',
          address: 'Demo address (fictitious)',
          city: place.city,
          country: place.country,
          latitude: place.lat,
          longitude: place.lon,
          notes: null,
        };
      }
      const r = seededRandom(mix(seed, 3, i));
      const x = r();
      let upTo = 0;
      const [kind, , label] =
        SITE_MIX.find(([, share]) => {
          upTo += share;
          return x < upTo;
        }) ?? (SITE_MIX[0] as (typeof SITE_MIX)[0]);
      const p = info.places[Math.floor(r() * info.places.length)] as OfficeInfo['places'][number];
      const district = DISTRICTS[Math.floor(r() * DISTRICTS.length)] as string;
      return {
        name: `${label} ${district} ${p.city} ${1 + Math.floor(r() * 999)}`,
        kind,
        address: `${1 + Math.floor(r() * 200)} ${STREETS[Math.floor(r() * STREETS.length)]} (fictitious)`,
        city: p.city,
        country: p.country,
        latitude: Math.round((p.lat + (r() - 0.5) * 0.1) * 1e6) / 1e6,
        longitude: Math.round((p.lon + (r() - 0.5) * 0.1) * 1e6) / 1e6,
        notes: null,
      };
    };

    const personFields = (p: number) => {
      const r = seededRandom(mix(seed, 4, p));
      const first = FIRST[Math.floor(r() * FIRST.length)] as string;
      const last = LAST[Math.floor(r() * LAST.length)] as string;
      const title = Math.floor(r() * TITLES.length);
      return {
        displayName: `${first} ${last}`,
        email: `${first}.${last}.${p}@demo.invalid`.toLowerCase(),
        phone: `+000 ${String(Math.floor(r() * 1e7)).padStart(7, '0')}`,
        jobTitle: (version: number) => TITLES[(title + version - 1) % TITLES.length] as string,
      };
    };

    let rows: repo.DemoRows = { offices: [], sites: [], persons: [], users: [], userOffices: [] };
    let entries: (AuditEntry & { at: string; id: string })[] = [];
    const flush = async (done: number) => {
      const [batch, trail] = [rows, entries];
      rows = { offices: [], sites: [], persons: [], users: [], userOffices: [] };
      entries = [];
      await db.transaction().execute(async (trx) => {
        await repo.insertRows(trx, batch);
        await audit.recordMany(trx, ctx, trail);
      });
      onProgress?.(done, plan.total);
      // Let the event loop turn: better-sqlite3 frees finished statements in finalizers that run from the
      // event loop, and Kysely prepares one per query; without this, native memory grows to gigabytes.
      await new Promise((resolve) => setImmediate(resolve));
    };

    for (let e = 0; e < plan.total; e++) {
      const k = plan.kind[e];
      const t = plan.target[e] ?? 0;
      const at = iso(e);
      const entryId = () => idAt(timeOf(e), idRand);
      if (k === OFFICE_CREATE) {
        const info = infos[t] as OfficeInfo;
        const office: Office = {
          id: idAt(timeOf(e), idRand),
          code: info.code,
          name: info.name,
          countries: info.countries,
          timezone: info.timezone,
          defaultLanguage: t === 0 || seededRandom(mix(seed, 5, t))() >= 0.3 ? 'en' : 'fr',
          version: 1,
          createdAt: at,
          updatedAt: at,
        };
        officeRows.push(office);
        rows.offices.push({
          id: office.id,
          code: office.code,
          name: office.name,
          countries: JSON.stringify(office.countries),
          timezone: office.timezone,
          default_language: office.defaultLanguage,
          version: 1,
          created_at: at,
          updated_at: at,
          deleted_at: null,
        });
        entries.push({
          id: entryId(),
          at,
          action: 'office.create',
          entityType: 'office',
          entityId: office.id,
          officeId: office.id,
          changes: office,
        });
      } else if (k === SITE_CREATE) {
        const f = siteFields(t);
        const officeId = (officeRows[plan.siteOffice[t] ?? 0] as Office).id;
        const id = idAt(timeOf(e), idRand);
        siteIds[t] = id;
        siteNowAt[t] = e;
        const version = plan.siteVersion[t] ?? 1;
        const lastAt = plan.siteLast[t] ?? e;
        const created: Site = { id, officeId, ...f, version: 1, createdAt: at, updatedAt: at };
        rows.sites.push({
          id,
          office_id: officeId,
          name: f.name,
          kind: f.kind,
          address: f.address,
          city: f.city,
          country: f.country,
          latitude: f.latitude,
          longitude: f.longitude,
          notes: siteNotes(t, version, lastAt, f.notes),
          version,
          created_at: at,
          updated_at: iso(lastAt),
          deleted_at: null,
        });
        entries.push({
          id: entryId(),
          at,
          action: 'site.create',
          entityType: 'site',
          entityId: id,
          officeId,
          changes: created,
        });
      } else if (k === SITE_UPDATE) {
        const version = (siteNow[t] ?? 1) + 1;
        const first = version === 2 ? siteFields(t).notes : null;
        const before = siteNotes(t, version - 1, siteNowAt[t] ?? 0, first);
        siteNow[t] = version;
        siteNowAt[t] = e;
        entries.push({
          id: entryId(),
          at,
          action: 'site.update',
          entityType: 'site',
          entityId: siteIds[t] ?? null,
          officeId: (officeRows[plan.siteOffice[t] ?? 0] as Office).id,
          changes: { notes: [before, siteNotes(t, version, e, null)] },
        });
      } else if (k === PERSON_CREATE) {
        const f = personFields(t);
        const officeId = (officeRows[plan.personOffice[t] ?? 0] as Office).id;
        const id = idAt(timeOf(e), idRand);
        personIds[t] = id;
        const version = plan.personVersion[t] ?? 1;
        const lastAt = plan.personLast[t] ?? e;
        const created: Person = {
          id,
          officeId,
          displayName: f.displayName,
          email: f.email,
          jobTitle: f.jobTitle(1),
          phone: f.phone,
          version: 1,
          createdAt: at,
          updatedAt: at,
        };
        rows.persons.push({
          id,
          office_id: officeId,
          display_name: f.displayName,
          email: f.email,
          job_title: f.jobTitle(version),
          phone: f.phone,
          version,
          created_at: at,
          updated_at: iso(lastAt),
          deleted_at: null,
        });
        entries.push({
          id: entryId(),
          at,
          action: 'person.create',
          entityType: 'person',
          entityId: id,
          officeId,
          changes: created,
        });
      } else if (k === USER_CREATE) {
        const f = personFields(t);
        const o = plan.personOffice[t] ?? 0;
        const officeId = (officeRows[o] as Office).id;
        const id = idAt(timeOf(e), idRand);
        rows.users.push({
          id,
          person_id: personIds[t] as string,
          email: f.email,
          password_hash: null,
          role: 'staff',
          language: null,
          must_change_password: 1,
          is_disabled: 0,
          version: 1,
          created_at: at,
          updated_at: at,
        });
        rows.userOffices.push({ user_id: id, office_id: officeId });
        entries.push({
          id: entryId(),
          at,
          action: 'user.create',
          entityType: 'user',
          entityId: id,
          officeId,
          changes: { email: f.email, role: 'staff', offices: [(infos[o] as OfficeInfo).code] },
        });
      } else {
        const f = personFields(t);
        const version = (personNow[t] ?? 1) + 1;
        personNow[t] = version;
        entries.push({
          id: entryId(),
          at,
          action: 'person.update',
          entityType: 'person',
          entityId: personIds[t] ?? null,
          officeId: (officeRows[plan.personOffice[t] ?? 0] as Office).id,
          changes: { jobTitle: [f.jobTitle(version - 1), f.jobTitle(version)] },
        });
      }
      if (entries.length >= CHUNK_EVENTS) await flush(e + 1);
    }
    if (entries.length) await flush(plan.total);
    const incidentCount = v.incidents ?? 0;
    if (incidentCount > 0) {
      // Issue #5: incidents over the same year, after the timeline (their audit entries carry their report time).
      await deps.incidents?.categories.ensureBuiltInCategories();
      const batches = bulkIncidents({
        offices: officeRows.map((o, k) => ({ id: o.id, code: o.code, places: (infos[k] as OfficeInfo).places })),
        count: incidentCount,
        seed: mix(seed, 6),
        startMs: start,
        endMs: end,
        batch: CHUNK_EVENTS,
        id: (ms) => idAt(ms, idRand),
      });
      for (const batch of batches) {
        await db.transaction().execute(async (trx) => {
          await insertIncidentRows(
            trx,
            batch.map((b) => b.row),
          );
          await audit.recordMany(
            trx,
            ctx,
            batch.map((b) => b.entry),
          );
        });
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (search) {
      // The rows above bypass the services, so their search documents are written here.
      const indexed = await search.reindex(incidentCount > 0 ? ['office', 'site', 'incident'] : ['office', 'site']);
      const own = Object.values(indexed).reduce((a, b) => a + b, 0);
      const filler = Math.max(0, (v.searchDocuments ?? 0) - own);
      if (filler > 0) await search.addFiller(filler, { seed, officeIds: officeRows.map((o) => o.id), endMs: end });
    }
    await repo.refreshStatistics(db);
    const accounts = (await addAccounts(ctx)).map(({ id: _id, ...a }) => a);
    return {
      offices: infos.map((o) => o.code),
      sites: plan.siteOffice.length,
      people: plan.personOffice.length + accounts.length,
      accounts,
      auditEntries: plan.total + incidentCount,
      ...(incidentCount > 0 ? { bulkIncidents: incidentCount } : {}),
    };
  }

  return {
    generate,
    /** `volume` replaces the large scale's bulk volume (tests load a smaller "large"). */
    async load(scale: DemoScale = 'small', seed = 42, volume?: DemoVolume): Promise<DemoResult> {
      const bulk = SCALES[scale].bulk && (volume ?? SCALES[scale].bulk);
      if (bulk) {
        const r = await generate(bulk, seed);
        // Besides the bulk history, TBS gets the same work in progress and worked year of incidents as
        // the small demo, through the services (tasks, checklist runs, notifications, escalations).
        const tbs = await offices.getByCode(systemCtx, 'TBS');
        const ids = await db
          .selectFrom('users')
          .select(['id', 'role'])
          .where('email', 'like', '%@tbs.demo.invalid')
          .execute();
        const work = await addWork(tbs.id, ids);
        const withWork = work ? { ...r, work } : r;
        const year = await addIncidentYear(tbs.id, ids, seed);
        if (!year) return withWork;
        const { id: _id, ...account } = year.account;
        return {
          ...withWork,
          people: r.people + 1,
          accounts: [...r.accounts, account],
          incidents: year.incidents,
        };
      }
      return loadThroughServices(scale as 'small' | 'medium', seed);
    },
  };
}
