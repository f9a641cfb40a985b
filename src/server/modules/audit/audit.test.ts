import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice } from '../../../../test/factories.ts';
import { testEngines } from '../../../../test/test-db.ts';

describe.each(testEngines())('audit chain on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(engine);
  });
  afterAll(() => t.close());

  it('chains entries by hash, stays whole under concurrent writes, and names the first tampered entry', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => makeOffice(t.services, { code: `AU${i}` })));
    const db = t.db.database.db;
    expect(await t.services.audit.verify(db)).toEqual({ ok: true, entries: 12 });
    await db.updateTable('audit_log').set({ changes: '{"name":"forged"}' }).where('seq', '=', 5).execute();
    expect(await t.services.audit.verify(db)).toMatchObject({ ok: false, brokenAt: 5 });
  });
});
