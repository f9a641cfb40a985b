import { describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.ts';
import { signedInAs } from '../../../../test/factories.ts';
import { testEngines } from '../../../../test/test-db.ts';
import { INCIDENT_STATUSES } from '../../../shared/incidents/incidents.enums.ts';
import { systemCtx } from '../../lib/auth.ts';
import { createDemoService, type DemoVolume } from './demo.service.ts';

const demoOf = (t: TestApp) => createDemoService({ ...t.services, db: t.db.database.db, clock: t.clock });
const DAY = 86_400_000;

describe.each(testEngines())('the demo year of incidents on %s', (engine) => {
  it('gives TBS a year of incidents in every status, escalated, investigated, reviewed and closed by the rules', async () => {
    const t = await buildTestApp(engine);
    try {
      const r = await demoOf(t).load('small', 42);
      const db = t.db.database.db;
      const tbs = await t.services.offices.getByCode(systemCtx, 'TBS');
      const rows = await db.selectFrom('incidents').selectAll().where('office_id', '=', tbs.id).execute();
      expect(r.incidents?.incidents).toBe(rows.length);
      expect(rows.length).toBeGreaterThanOrEqual(52);
      // Every status of the workflow, every domain, some sensitive ones.
      expect(new Set(rows.map((x) => x.status))).toEqual(new Set(INCIDENT_STATUSES));
      expect([...new Set(rows.map((x) => x.domain))]).toEqual(
        expect.arrayContaining(['cyber', 'information_security', 'physical', 'personnel_safety']),
      );
      // Only quick reports not triaged yet (or marked duplicate) are still uncategorised.
      for (const x of rows.filter((y) => y.domain === 'mixed')) {
        expect(x.report_channel).toBe('quick_report');
        expect(['reported', 'duplicate']).toContain(x.status);
      }
      expect(rows.filter((x) => x.sensitive === 1).length).toBeGreaterThanOrEqual(2);
      // A year of history, none of it in the future; references follow the report year.
      const now = t.clock.now().getTime();
      const reported = rows.map((x) => Date.parse(x.reported_at)).sort((a, b) => a - b);
      expect(now - (reported[0] as number)).toBeGreaterThan(300 * DAY);
      expect(reported.at(-1)).toBeLessThan(now);
      for (const x of rows) {
        expect(x.reference).toBe(
          `TBS-${new Date(x.reported_at).getUTCFullYear()}-${String(x.ref_seq).padStart(3, '0')}`,
        );
        for (const f of [x.acknowledged_at, x.contained_at, x.hq_notified_at, x.hq_acknowledged_at, x.closed_at])
          if (f) expect(Date.parse(f)).toBeLessThan(now);
      }
      // Closed ones went through the four-eyes review.
      const closed = rows.filter((x) => x.status === 'closed');
      expect(closed.length).toBeGreaterThan(20);
      for (const x of closed) {
        expect(x.reviewed_at).not.toBeNull();
        expect(x.reviewer_user_id).not.toBe(x.owner_user_id);
        expect(x.closing_summary && x.lessons_learned).toBeTruthy();
      }

      // Escalations: HQ told and acknowledging; some late, escalated to level 2; no demo timer left running.
      const steps = await db
        .selectFrom('incident_escalations')
        .selectAll()
        .where('office_id', '=', tbs.id)
        .where('kind', '=', 'timer')
        .execute();
      expect(steps.length).toBe(
        (r.incidents?.escalations ?? 0) -
          (await db.selectFrom('incident_escalations').select('id').where('kind', '!=', 'timer').execute()).length,
      );
      const hq = await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'hq@tbs.demo.invalid')
        .executeTakeFirst();
      expect(r.accounts.map((a) => a.role)).toContain('hq_security');
      expect(steps.some((s) => s.status === 'acknowledged' && s.acknowledged_by === hq?.id)).toBe(true);
      expect(steps.some((s) => s.overdue_at !== null && s.level === 1 && s.status === 'acknowledged')).toBe(true);
      expect(steps.some((s) => s.level === 2)).toBe(true);
      const severe = closed.filter((x) => (x.severity ?? 0) >= 3);
      expect(severe.length).toBeGreaterThan(0);
      for (const x of severe) expect(x.hq_notified_at).not.toBeNull();
      expect(severe.some((x) => x.hq_acknowledged_at !== null)).toBe(true);
      const latest = rows.find((x) => Date.parse(x.reported_at) === reported.at(-1));
      expect(latest).toMatchObject({ severity: 4, status: 'triaged' });
      expect(latest?.hq_acknowledged_at).not.toBeNull();
      expect(steps.filter((s) => s.status === 'open' || s.status === 'overdue')).toEqual([]);
      expect((await t.services.escalation.pending(systemCtx, { limit: 100 })).items).toEqual([]);
      expect(await t.services.escalation.runEscalations(new Date(now + 2 * DAY))).toEqual({ overdue: 0, escalated: 0 });

      // Investigation: timelines, evidence with SHA-256 and an intact chain of custody, communications.
      const count = async (table: 'incident_timeline' | 'incident_evidence' | 'incident_communications') =>
        (await db.selectFrom(table).select('id').execute()).length;
      expect(await count('incident_timeline')).toBeGreaterThan(50);
      expect(await count('incident_evidence')).toBeGreaterThan(3);
      expect(await count('incident_communications')).toBeGreaterThan(10);
      const hashed = await db.selectFrom('incident_evidence').selectAll().where('sha256', 'is not', null).execute();
      expect(hashed.length).toBeGreaterThan(0);
      const handedOver = await db.selectFrom('incident_custody').select('evidence_id').where('seq', '>', 1).execute();
      expect(handedOver.length).toBeGreaterThan(0);
      const custody = await t.services.investigation.listCustody(systemCtx, handedOver[0]?.evidence_id as string);
      expect(custody.chainIntact).toBe(true);

      // The metrics have a year to work on.
      const metrics = await t.services.incidents.metrics.compute(systemCtx, { officeId: tbs.id });
      expect(metrics.overall.acknowledge.medianMinutes).not.toBeNull();
      expect(metrics.overall.notifyHq.count).toBeGreaterThan(0);
      expect(metrics.overall.close.p90Minutes).not.toBeNull();
      expect(metrics.byMonth.length).toBeGreaterThanOrEqual(10);

      // The list API returns them to the office's officer; a sensitive one only to those named on it.
      const officer = await signedInAs(t, 'security_officer', ['TBS']);
      const listed: { id: string; reference: string }[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/incidents?officeId=${tbs.id}&limit=50${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await t.app.inject({ method: 'GET', url, headers: officer.headers });
        expect(res.statusCode, res.body).toBe(200);
        listed.push(...res.json().items);
        cursor = res.json().nextCursor;
      } while (cursor);
      const sensitive = rows.filter((x) => x.sensitive === 1);
      expect(listed.length).toBe(rows.length - sensitive.length);
      expect(new Set(listed.map((x) => x.reference)).size).toBe(listed.length);
      for (const x of sensitive) {
        expect(listed.some((y) => y.id === x.id)).toBe(false);
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${x.id}`, headers: officer.headers });
        expect(res.statusCode).toBe(404);
      }
      const filtered = await t.app.inject({
        method: 'GET',
        url: `/api/v1/incidents?officeId=${tbs.id}&status=closed&limit=50`,
        headers: officer.headers,
      });
      expect(filtered.json().items.every((x: { status: string }) => x.status === 'closed')).toBe(true);

      // Loading the demo again changes nothing: a 409, no second set of incidents.
      await expect(demoOf(t).load('small', 42)).rejects.toMatchObject({ status: 409 });
      expect((await db.selectFrom('incidents').select('id').execute()).length).toBe(rows.length);

      // Inboxes hold only what the last days left; the audit trail verifies.
      const inbox = await db.selectFrom('notifications').select(['kind', 'created_at']).execute();
      expect(inbox.some((n) => n.kind.startsWith('incident.'))).toBe(true);
      expect(await t.services.audit.verify(db)).toMatchObject({ ok: true });
    } finally {
      await t.close();
    }
  }, 120_000);
});

describe('the demo year of incidents', () => {
  it('is the same for the same seed and clock', async () => {
    const dump = async () => {
      const t = await buildTestApp('sqlite');
      try {
        await demoOf(t).load('small', 7);
        const rows = await t.db.database.db
          .selectFrom('incidents')
          .select(['reference', 'title', 'status', 'severity', 'reported_at', 'closed_at', 'hq_acknowledged_at'])
          .orderBy('reference')
          .execute();
        return rows;
      } finally {
        await t.close();
      }
    };
    const [a, b] = [await dump(), await dump()];
    expect(a.length).toBeGreaterThan(50);
    expect(b).toEqual(a);
  }, 120_000);
});

/** The bulk path (large: 200,000 across ten offices), here at a size a test can afford. */
const BULK: DemoVolume = {
  offices: 3,
  peoplePerOffice: 5,
  sitesFirstOffice: 10,
  sitesPerOtherOffice: 2,
  auditEntries: 200,
  accountEvery: 0,
  incidents: 3000,
};

describe.each(testEngines())('the bulk incidents on %s', (engine) => {
  it('are valid for the API: catalogue categories, unique references, every status, audited, metrics', async () => {
    const t = await buildTestApp(engine);
    try {
      const r = await demoOf(t).generate(BULK, 42);
      expect(r.bulkIncidents).toBe(3000);
      const db = t.db.database.db;
      const rows = await db.selectFrom('incidents').selectAll().execute();
      expect(rows.length).toBe(3000);
      expect(new Set(rows.map((x) => x.reference)).size).toBe(3000);
      expect(new Set(rows.map((x) => x.status))).toEqual(new Set(INCIDENT_STATUSES));
      const codes = new Set((await db.selectFrom('incident_categories').select('code').execute()).map((c) => c.code));
      const now = t.clock.now().getTime();
      for (const x of rows) {
        expect(codes.has(x.category)).toBe(true);
        expect(x.reference).toMatch(/^[A-Z]{3}-\d{4}-\d{3,}$/);
        for (const j of [x.observables, x.affected_assets, x.impacts, x.pause_log])
          expect(() => JSON.parse(j)).not.toThrow();
        const times = [x.reported_at, x.acknowledged_at, x.contained_at, x.resolved_at, x.closed_at].filter(
          (v): v is string => !!v,
        );
        expect([...times].sort()).toEqual(times);
        expect(Date.parse(times.at(-1) as string)).toBeLessThan(now);
        if (x.status === 'closed') expect(x.closing_summary && x.lessons_learned && x.reviewed_at).toBeTruthy();
      }
      const audited = await db.selectFrom('audit_log').select('id').where('action', '=', 'incident.create').execute();
      expect(audited.length).toBe(3000);
      expect(await t.services.audit.verify(db)).toMatchObject({ ok: true });

      // The API lists, filters and pages them; the metrics dashboard computes.
      const admin = await signedInAs(t, 'admin');
      const tbs = await t.services.offices.getByCode(systemCtx, 'TBS');
      const get = (url: string) => t.app.inject({ method: 'GET', url, headers: admin.headers });
      const first = await get(`/api/v1/incidents?officeId=${tbs.id}&limit=50&status=closed&severity=2`);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json().items).toHaveLength(50);
      const next = await get(
        `/api/v1/incidents?officeId=${tbs.id}&limit=50&status=closed&severity=2&cursor=${first.json().nextCursor}`,
      );
      expect(next.statusCode, next.body).toBe(200);
      const one = await get(`/api/v1/incidents/${first.json().items[0].id}`);
      expect(one.statusCode, one.body).toBe(200);
      const metrics = await get(`/api/v1/incident-metrics?officeId=${tbs.id}`);
      expect(metrics.statusCode, metrics.body).toBe(200);
      expect(metrics.json().overall.close.count).toBeGreaterThan(100);
    } finally {
      await t.close();
    }
  }, 120_000);
});
