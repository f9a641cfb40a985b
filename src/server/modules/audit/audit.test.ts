import { sql } from 'kysely';
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
    if (engine === 'postgres') {
      // The database itself refuses to rewrite history…
      await expect(db.updateTable('audit_log').set({ changes: '{}' }).where('seq', '=', 5).execute()).rejects.toThrow(
        /append-only/,
      );
      await expect(db.deleteFrom('audit_log').where('seq', '=', 5).execute()).rejects.toThrow(/append-only/);
      // …so an attacker would have to be the table owner and lift the guard first.
      await sql`alter table audit_log disable trigger audit_log_append_only`.execute(db);
    }
    await db.updateTable('audit_log').set({ changes: '{"name":"forged"}' }).where('seq', '=', 5).execute();
    expect(await t.services.audit.verify(db)).toMatchObject({ ok: false, brokenAt: 5 });
  });
});
