import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, signedInAs } from '../../../../test/factories.ts';
import { testEngines } from '../../../../test/test-db.ts';

describe.each(testEngines())('offices API on %s', (engine) => {
  let t: TestApp;
  let admin: { cookie: string };

  beforeAll(async () => {
    t = await buildTestApp(engine);
    admin = (await signedInAs(t, 'admin')).headers;
  });
  afterAll(() => t.close());

  const newOffice = {
    code: 'tbs',
    name: 'Liaison Office Tbilisi',
    countries: ['GE', 'AM', 'AZ'],
    timezone: 'Asia/Tbilisi',
  };

  it('creates, reads, lists and audits an office', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/offices', headers: admin, payload: newOffice });
    expect(res.statusCode).toBe(201);
    const office = res.json();
    expect(office).toMatchObject({ code: 'TBS', countries: ['GE', 'AM', 'AZ'], defaultLanguage: 'en', version: 1 });
    expect(res.headers.etag).toBe('"1"');

    const got = await t.app.inject({ method: 'GET', url: `/api/v1/offices/${office.id}`, headers: admin });
    expect(got.json()).toEqual(office);

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/offices?q=tbil', headers: admin });
    expect(list.json().items.map((o: { code: string }) => o.code)).toEqual(['TBS']);

    const audit = await t.db.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', office.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain('office.create');
  });

  it('rejects a duplicate code with 409', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/offices',
      headers: admin,
      payload: { ...newOffice, name: 'Other' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('pages through a list with a cursor, in order, without gaps or repeats', async () => {
    for (let i = 0; i < 7; i++) await makeOffice(t.services, { code: `PG${i}`, name: `Paging ${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/offices?limit=3&sort=-code&q=paging${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.app.inject({ method: 'GET', url, headers: admin })).json();
      seen.push(...page.items.map((o: { code: string }) => o.code));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['PG6', 'PG5', 'PG4', 'PG3', 'PG2', 'PG1', 'PG0']);
  });

  it('two clients updating the same version: one wins, the other gets 409 and changes nothing', async () => {
    const office = await makeOffice(t.services);
    const url = `/api/v1/offices/${office.id}`;
    const [a, b] = await Promise.all([
      t.app.inject({ method: 'PATCH', url, headers: admin, payload: { name: 'Written by A', version: 1 } }),
      t.app.inject({ method: 'PATCH', url, headers: admin, payload: { name: 'Written by B', version: 1 } }),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([200, 409]);
    const winner = a.statusCode === 200 ? a : b;
    const loser = a.statusCode === 200 ? b : a;
    expect(loser.json()).toMatchObject({ status: 409, currentVersion: 2 });
    const now = (await t.app.inject({ method: 'GET', url, headers: admin })).json();
    expect(now.name).toBe(winner.json().name);
    expect(now.version).toBe(2);
  });

  it('soft-deletes with the current version only', async () => {
    const office = await makeOffice(t.services);
    const stale = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/offices/${office.id}?version=9`,
      headers: admin,
    });
    expect(stale.statusCode).toBe(409);
    const ok = await t.app.inject({ method: 'DELETE', url: `/api/v1/offices/${office.id}?version=1`, headers: admin });
    expect(ok.statusCode).toBe(204);
    const gone = await t.app.inject({ method: 'GET', url: `/api/v1/offices/${office.id}`, headers: admin });
    expect(gone.statusCode).toBe(404);
    const row = await t.db.database.db
      .selectFrom('offices')
      .select('deleted_at')
      .where('id', '=', office.id)
      .executeTakeFirst();
    expect(row?.deleted_at).toBeTruthy();
  });

  it('answers bad input with a 4xx problem document naming the field', async () => {
    const cases = [
      { payload: '{"code": "X', type: 'application/json', status: 400, expectType: 'malformed-json' },
      { payload: { ...newOffice, code: 'ZZ1', countries: 'GE' }, status: 400, field: 'body.countries' },
      { payload: { ...newOffice, code: 'ZZ2', isAdmin: true }, status: 400, field: 'body.isAdmin' },
      { payload: { ...newOffice, code: 'ZZ3', timezone: 'Mars/Olympus' }, status: 400, field: 'body.timezone' },
      { payload: 'code=x', type: 'application/x-www-form-urlencoded', status: 415 },
      { payload: JSON.stringify({ ...newOffice, name: 'x'.repeat(2_000_000) }), type: 'application/json', status: 413 },
    ];
    for (const c of cases) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/offices',
        headers: { ...admin, ...(c.type ? { 'content-type': c.type } : {}) },
        payload: c.payload as string,
      });
      expect(res.statusCode, JSON.stringify(c).slice(0, 100)).toBe(c.status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json();
      expect(problem.status).toBe(c.status);
      expect(problem.requestId).toBeTruthy();
      if (c.field) expect(problem.errors.map((e: { path: string }) => e.path)).toContain(c.field);
      if (c.expectType) expect(problem.type).toContain(c.expectType);
    }
    const count = await t.db.database.db.selectFrom('offices').select('code').where('code', 'like', 'ZZ%').execute();
    expect(count).toEqual([]);
  });

  it('rejects an invalid cursor, id and sort with 400', async () => {
    for (const url of [
      '/api/v1/offices?cursor=garbage',
      '/api/v1/offices/not-a-uuid',
      '/api/v1/offices?sort=password',
      '/api/v1/offices?limit=100000',
    ]) {
      const res = await t.app.inject({ method: 'GET', url, headers: admin });
      expect(res.statusCode, url).toBe(400);
    }
  });

  it('keeps staff to their own office and out of writes', async () => {
    const mine = await makeOffice(t.services);
    const other = await makeOffice(t.services);
    const { headers } = await signedInAs(t, 'staff', [mine.code]);
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/offices', headers })).json();
    expect(list.items.map((o: { id: string }) => o.id)).toEqual([mine.id]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/offices/${other.id}`, headers })).statusCode).toBe(404);
    const write = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/offices/${mine.id}`,
      headers,
      payload: { name: 'x', version: 1 },
    });
    expect(write.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/offices' })).statusCode).toBe(401);
  });
});
