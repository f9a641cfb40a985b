import type { SiteCreateInput } from '../../../shared/sites/sites.schemas.ts';
import { type Ctx, systemCtx } from '../../lib/auth.ts';
import { Conflict } from '../../lib/errors.ts';
import type { OfficeService } from '../offices/offices.service.ts';
import type { PeopleService } from '../people/people.service.ts';
import type { SiteService } from '../sites/sites.service.ts';
import type { UserService } from '../users/users.service.ts';

/**
 * The demo office: TBS, a liaison office in Tbilisi covering Georgia, Armenia and Azerbaijan.
 * Every name, address and number is fictitious. Each module adds its own demo records here.
 */
export type DemoScale = 'small' | 'medium' | 'large';
const SCALES: Record<DemoScale, { offices: number; peoplePerOffice: number }> = {
  small: { offices: 1, peoplePerOffice: 15 },
  medium: { offices: 3, peoplePerOffice: 30 },
  large: { offices: 10, peoplePerOffice: 50 },
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

export interface DemoResult {
  offices: string[];
  sites: number;
  people: number;
  accounts: { email: string; role: string; password: string }[];
}

export function createDemoService(deps: {
  offices: OfficeService;
  sites: SiteService;
  people: PeopleService;
  users: UserService;
}) {
  const { offices, sites, people, users } = deps;

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

  return {
    async load(scale: DemoScale = 'small', seed = 42): Promise<DemoResult> {
      const ctx = systemCtx;
      const rand = seededRandom(seed);
      const size = SCALES[scale];
      const existing = await offices.getByCode(ctx, 'TBS').catch(() => null);
      if (existing) throw new Conflict('The demo office TBS is already loaded.');
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
      const accounts: DemoResult['accounts'] = [];
      for (const [email, role, name] of [
        ['head@tbs.demo.invalid', 'head_of_office', 'Claire Example (Head of Office)'],
        ['officer@tbs.demo.invalid', 'security_officer', 'Levan Sample (Security Officer)'],
        ['staff@tbs.demo.invalid', 'staff', 'Mariam Placeholder'],
      ] as const) {
        const { oneTimePassword } = await users.create(ctx, { email, role, displayName: name, officeCodes: ['TBS'] });
        accounts.push({ email, role, password: oneTimePassword ?? '' });
      }
      return { offices: codes, sites: siteCount, people: size.offices * size.peoplePerOffice + 3, accounts };
    },
  };
}
