import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/server/lib/clock.ts';
import { createAuditService } from '../src/server/modules/audit/audit.service.ts';
import { createBackupService } from '../src/server/modules/backup/backup.service.ts';
import { buildTestApp } from './build-test-app.ts';
import { makeOffice, signedInAs } from './factories.ts';
import { testDatabase, testEngines } from './test-db.ts';

/**
 * `outpost backup` while clients write, on both engines: the copy restores to a consistent state of its
 * own moment (SQLite's online backup; PostgreSQL's logical export in one repeatable-read snapshot).
 */
const dir = mkdtempSync(path.join(tmpdir(), 'outpost-bul-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(testEngines())('backup under load on %s', (engine) => {
  it('is consistent: integrity ok, audit chain verifies, every site has its audit entry, counts match the copy', async () => {
    const t = await buildTestApp(engine);
    try {
      const office = await makeOffice(t.services, { code: 'BUL' });
      const { headers } = await signedInAs(t, 'admin');
      let stop = false;
      let written = 0;
      const writer = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const res = await t.app.inject({
            method: 'POST',
            url: `/api/v1/offices/${office.id}/sites`,
            headers,
            payload: { name: `w${w}-${i}`, kind: 'other', country: 'GE' },
          });
          if (res.statusCode === 201) written++;
        }
      };
      const writers = [0, 1, 2].map(writer);
      await new Promise((r) => setTimeout(r, 150));
      const file = path.join(dir, `under-load-${engine}.backup`);
      const backup = await createBackupService({ database: t.db.database, clock: systemClock }).backup(file);
      await new Promise((r) => setTimeout(r, 150));
      stop = true;
      await Promise.all(writers);
      expect(backup.counts.sites).toBeGreaterThan(0);
      expect(backup.counts.sites).toBeLessThan(written);

      const target = await testDatabase(engine);
      try {
        const restored = await createBackupService({ database: target.database, clock: systemClock }).restore(file);
        expect(restored.counts).toEqual(backup.counts);
        const db = target.database.db;
        if (target.database.sqlite)
          expect(target.database.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(await createAuditService({ db, dialect: engine, clock: systemClock }).verify(db)).toMatchObject({
          ok: true,
        });
        const orphans = await db
          .selectFrom('sites')
          .select('id')
          .where(({ not, exists, selectFrom }) =>
            not(exists(selectFrom('audit_log').select('seq').whereRef('audit_log.entity_id', '=', 'sites.id'))),
          )
          .execute();
        expect(orphans).toEqual([]);
      } finally {
        await target.cleanup();
      }
    } finally {
      await t.close();
    }
  });
});
