import { describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.ts';
import { testEngines } from '../../../../test/test-db.ts';
import { listChecklistRuns } from '../../../shared/checklists/checklists.contract.ts';
import { SiteSchema } from '../../../shared/sites/sites.schemas.ts';
import { listOfficeTasks } from '../../../shared/tasks/tasks.contract.ts';
import { systemCtx } from '../../lib/auth.ts';
import { createDemoService, type DemoVolume, idAt, seededRandom } from './demo.service.ts';

const VOLUME: DemoVolume = {
  offices: 3,
  peoplePerOffice: 20,
  sitesFirstOffice: 300,
  sitesPerOtherOffice: 40,
  auditEntries: 3_000,
  accountEvery: 5,
};

const demoOf = (t: TestApp) => createDemoService({ ...t.services, db: t.db.database.db, clock: t.clock });

describe.each(testEngines())('demo bulk generator on %s', (engine) => {
  it('writes the volumes asked for, in their final state, with an audit trail that verifies', async () => {
    const t = await buildTestApp(engine);
    try {
      const r = await demoOf(t).generate(VOLUME, 7);
      expect(r).toMatchObject({ offices: ['TBS', 'KIV', 'PRN'], sites: 380, people: 63, auditEntries: 3_000 });
      const db = t.db.database.db;
      const count = async (table: 'sites' | 'persons' | 'users' | 'audit_log') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await count('sites')).toBe(380);
      expect(await count('persons')).toBe(63);
      expect(await count('users')).toBe(12 + 3);
      // The generated history, then the three demo accounts created through the users service.
      expect(await count('audit_log')).toBe(3_003);
      expect(await t.services.audit.verify(db)).toEqual({ ok: true, entries: 3_003 });

      // Every update in the trail is reflected in the record's version.
      const updates = await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', 'site.update')
        .executeTakeFirstOrThrow();
      const versions = await db
        .selectFrom('sites')
        .select((eb) => eb.fn.sum<number>('version').as('v'))
        .executeTakeFirstOrThrow();
      expect(Number(versions.v) - 380).toBe(Number(updates.n));

      // The records read back through the services as valid domain objects; history ends before now.
      const tbs = await t.services.offices.getByCode(systemCtx, 'TBS');
      const page = await t.services.sites.list(systemCtx, tbs.id, { limit: 50, sort: 'name' });
      expect(page.items).toHaveLength(50);
      expect(page.nextCursor).not.toBeNull();
      for (const s of page.items) {
        expect(SiteSchema.parse(s)).toEqual(s);
        expect(s.updatedAt < t.clock.now().toISOString()).toBe(true);
        expect(s.createdAt <= s.updatedAt).toBe(true);
      }
      await expect(demoOf(t).generate(VOLUME, 7)).rejects.toThrow(/already loaded/);
    } finally {
      await t.close();
    }
  });

  it('gives the same data for the same seed and clock', async () => {
    const dump = async () => {
      const t = await buildTestApp(engine);
      try {
        await demoOf(t).generate({ ...VOLUME, auditEntries: 1_000 }, 11);
        const db = t.db.database.db;
        const sites = await db.selectFrom('sites').selectAll().orderBy('id').execute();
        const persons = await db.selectFrom('persons').selectAll().orderBy('id').execute();
        const last = await db.selectFrom('audit_log').select('hash').where('seq', '=', 1_000).executeTakeFirstOrThrow();
        return { sites, persons: persons.filter((p) => !p.email?.endsWith('tbs.demo.invalid')), hash: last.hash };
      } finally {
        await t.close();
      }
    };
    const [a, b] = [await dump(), await dump()];
    expect(a.sites.length).toBe(380);
    expect(b).toEqual(a);
  });
});

describe('idAt', () => {
  it('makes version-7 UUIDs that carry the time given', () => {
    const rand = seededRandom(1);
    const ms = Date.parse('2026-01-02T03:04:05.678Z');
    const id = idAt(ms, rand);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(ms);
  });
});

describe('the large demo', () => {
  it('gives TBS the same work in progress as the small demo, besides the bulk history', async () => {
    const t = await buildTestApp('sqlite');
    try {
      const r = await demoOf(t).load('large', 7, VOLUME);
      expect(r.offices).toHaveLength(3);
      expect(r.work).toEqual({ tasks: 10, runs: 2 });
      const db = t.db.database.db;
      const kinds = new Set((await db.selectFrom('notifications').select(['kind']).execute()).map((n) => n.kind));
      expect([...kinds]).toEqual(expect.arrayContaining(['task.assigned', 'checklist.failed_item', 'task.closed']));
      expect(await t.services.audit.verify(db)).toMatchObject({ ok: true });
    } finally {
      await t.close();
    }
  });
});

describe('the small demo', () => {
  it('gives TBS its work in progress: tasks (overdue and recurring), checklist runs, notifications', async () => {
    const t = await buildTestApp('sqlite');
    try {
      const r = await demoOf(t).load('small');
      expect(r.work).toEqual({ tasks: 10, runs: 2 });
      const tbs = await t.services.offices.getByCode(systemCtx, 'TBS');
      const tasks = await t.services.tasks.listOffice(
        systemCtx,
        tbs.id,
        (listOfficeTasks.query as NonNullable<typeof listOfficeTasks.query>).parse({ limit: 50 }),
      );
      expect(tasks.items.length).toBe(10);
      expect(tasks.items.some((x) => x.overdue)).toBe(true);
      expect(tasks.items.filter((x) => x.seriesId).length).toBe(3);
      const runs = await t.services.checklists.listRuns(
        systemCtx,
        tbs.id,
        (listChecklistRuns.query as NonNullable<typeof listChecklistRuns.query>).parse({ limit: 50 }),
      );
      expect(runs.items.map((x) => x.status).sort()).toEqual(['completed', 'in_progress']);
      const db = t.db.database.db;
      const inbox = await db.selectFrom('notifications').select(['kind']).execute();
      const kinds = new Set(inbox.map((n) => n.kind));
      expect([...kinds].filter((k) => !k.startsWith('incident.'))).toEqual(
        expect.arrayContaining(['task.assigned', 'checklist.failed_item', 'task.closed']),
      );
      expect([...kinds].filter((k) => !k.startsWith('incident.'))).toHaveLength(3);
      expect(await t.services.audit.verify(db)).toMatchObject({ ok: true });
    } finally {
      await t.close();
    }
  });
});
