import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, signedInAs } from '../../../../test/factories.ts';
import { testEngines } from '../../../../test/test-db.ts';

describe.each(testEngines())('sites API on %s', (engine) => {
  let t: TestApp;
  let officer: { cookie: string };
  let officeId: string;
  let otherOfficeId: string;

  beforeAll(async () => {
    t = await buildTestApp(engine);
    officeId = (await makeOffice(t.services, { code: 'STE' })).id;
    otherOfficeId = (await makeOffice(t.services, { code: 'OTH' })).id;
    officer = (await signedInAs(t, 'security_officer', ['STE'])).headers;
  });
  afterAll(() => t.close());

  const site = {
    name: 'Main premises',
    kind: 'office_premises',
    city: 'Tbilisi',
    country: 'GE',
    latitude: 41.7089,
    longitude: 44.7669,
  };

  it('adds, lists, edits (with version) and deletes a site of the office', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/v1/offices/${officeId}/sites`,
      headers: officer,
      payload: site,
    });
    expect(created.statusCode).toBe(201);
    const s = created.json();
    expect(s).toMatchObject({ ...site, officeId, address: null, version: 1 });
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/offices/${officeId}/sites?kind=office_premises`,
      headers: officer,
    });
    expect(list.json().items).toHaveLength(1);
    const edited = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/sites/${s.id}`,
      headers: officer,
      payload: { address: '7 Example Street', version: 1 },
    });
    expect(edited.json()).toMatchObject({ address: '7 Example Street', version: 2, latitude: 41.7089 });
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/sites/${s.id}`,
      headers: officer,
      payload: { name: 'Stale', version: 1 },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().currentVersion).toBe(2);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/sites/${s.id}?version=2`, headers: officer })).statusCode,
    ).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/sites/${s.id}`, headers: officer })).statusCode).toBe(
      404,
    );
  });

  it('rejects half a coordinate and out-of-range values', async () => {
    for (const bad of [
      { latitude: 41.7, longitude: null },
      { latitude: 91, longitude: 10 },
      { latitude: 'north', longitude: 10 },
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/offices/${officeId}/sites`,
        headers: officer,
        payload: { ...site, ...bad },
      });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().errors[0].path).toMatch(/^body\.(latitude|longitude)/);
    }
  });

  it("keeps an officer out of another office's sites", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/offices/${otherOfficeId}/sites`,
      headers: officer,
      payload: site,
    });
    expect(res.statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/offices/${otherOfficeId}/sites`, headers: officer }))
        .statusCode,
    ).toBe(404);
  });
});
