import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_INFRASTRUCTURE } from '../src/server/app.ts';
import { renderPermissionMatrix } from '../src/server/docs.ts';
import { ROLES, roleCan } from '../src/shared/permissions.ts';
import { buildTestApp, type TestApp } from './build-test-app.ts';
import { makeOffice, signedInAs } from './factories.ts';

/** Every route, every role: what the matrix says is what the server does. */
describe('permission matrix', () => {
  let t: TestApp;
  const sessions = new Map<string, { cookie: string }>();
  let officeId: string;

  beforeAll(async () => {
    t = await buildTestApp('sqlite');
    const office = await makeOffice(t.services, { code: 'PMX' });
    officeId = office.id;
    for (const role of ROLES) sessions.set(role, (await signedInAs(t, role, ['PMX'])).headers);
  });
  afterAll(() => t.close());

  it('every API route declares a permission (deny by default)', () => {
    const api = t.app.routeTable.filter((r) => r.url.startsWith('/api'));
    expect(api.length).toBeGreaterThan(15);
    const undeclared = api.filter(
      (r) => !r.contract && !PUBLIC_INFRASTRUCTURE.some((p) => r.url === p || r.url.startsWith(`${p}/`)),
    );
    expect(undeclared.map((r) => `${r.method} ${r.url}`)).toEqual([]);
    for (const r of api.filter((x) => x.url.startsWith('/api/v1'))) expect(r.contract, r.url).toBeDefined();
  });

  it('the committed docs/permissions.md is generated from the code (no drift)', () => {
    expect(readFileSync('docs/permissions.md', 'utf8')).toBe(renderPermissionMatrix(t.app.routeTable));
  });

  it('the committed docs/openapi.json is generated from the code (no drift)', () => {
    expect(JSON.parse(readFileSync('docs/openapi.json', 'utf8'))).toEqual(t.app.swagger());
  });

  it('without a session every protected route answers 401; with a role that lacks the permission, 403', async () => {
    const fill = (url: string) => url.replace(':officeId', officeId).replace(':id', officeId);
    for (const r of t.app.routeTable.filter((x) => x.contract && x.url.startsWith('/api/v1'))) {
      const c = r.contract;
      if (!c || c.permission === 'public') continue;
      const anon = await t.app.inject({ method: r.method as 'GET', url: fill(r.url) });
      expect(anon.statusCode, `${r.method} ${r.url} anonymous`).toBe(401);
      if (c.permission === 'authenticated') continue;
      for (const role of ROLES) {
        if (roleCan(role, c.permission)) continue;
        const res = await t.app.inject({ method: r.method as 'GET', url: fill(r.url), headers: sessions.get(role) });
        expect(res.statusCode, `${r.method} ${r.url} as ${role}`).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    }
  });
});
