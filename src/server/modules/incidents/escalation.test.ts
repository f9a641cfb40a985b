import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, signedInAs, signIn } from '../../../../test/factories.ts';
import { type SmtpSink, startSmtpSink, useSmtpSink } from '../../../../test/notification-sinks.ts';
import { testEngines } from '../../../../test/test-db.ts';
import { DEFAULT_ESCALATION_MATRIX } from '../../../shared/incidents/escalation.schemas.ts';

type Headers = { cookie: string };
type Who = { user: { id: string; email: string }; headers: Headers };
const MIN = 60_000;

describe.each(testEngines())('incident escalation on %s', (engine) => {
  let t: TestApp;
  let smtp: SmtpSink;
  let officeId: string;
  let otherOfficeId: string;
  let admin: Who;
  let officer: Who;
  let staff: Who;
  let head: Who;
  let hq: Who;
  let outsider: Who;

  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, who: Who, payload?: object) =>
    t.app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await buildTestApp(engine);
    smtp = await startSmtpSink();
    officeId = (await makeOffice(t.services, { code: 'ESC' })).id;
    otherOfficeId = (await makeOffice(t.services, { code: 'ESX' })).id;
    admin = await signedInAs(t, 'admin');
    officer = await signedInAs(t, 'security_officer', ['ESC']);
    staff = await signedInAs(t, 'staff', ['ESC']);
    head = await signedInAs(t, 'head_of_office', ['ESC']);
    hq = await signedInAs(t, 'hq_security');
    outsider = await signedInAs(t, 'security_officer', ['ESX']);
    await useSmtpSink(t.app, admin.headers, smtp);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  // The tests move the clock by hours: sign in again so idle sessions do not expire under them.
  beforeEach(async () => {
    for (const who of [admin, officer, staff, head, hq, outsider]) who.headers = await signIn(t, who.user.email);
  });

  async function report(title: string, category = 'physical:theft') {
    const res = await call('POST', `/api/v1/offices/${officeId}/incidents`, officer, {
      title,
      category,
      occurredAt: t.clock.now().toISOString(),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }
  async function setSeverity(id: string, severity: number) {
    const cur = (await call('GET', `/api/v1/incidents/${id}`, officer)).json();
    const res = await call('PATCH', `/api/v1/incidents/${id}`, officer, { severity, version: cur.version });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  async function transition(id: string, to: string, extra: object = {}) {
    const cur = (await call('GET', `/api/v1/incidents/${id}`, officer)).json();
    const res = await call('POST', `/api/v1/incidents/${id}/transition`, officer, {
      to,
      version: cur.version,
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  const steps = async (id: string, who: Who = officer) => {
    const res = await call('GET', `/api/v1/incidents/${id}/escalations`, who);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as {
      id: string;
      kind: string;
      level: number;
      status: string;
      dueAt: string | null;
      targets: string[];
      canAcknowledge: boolean;
      paused: boolean;
    }[];
  };
  const inbox = async (who: Who) =>
    (await call('GET', '/api/v1/notifications?limit=100', who)).json().items as {
      kind: string;
      entityId: string;
    }[];

  it('serves the default matrix until the office sets its own; edits are validated, versioned and office-scoped', async () => {
    const res = await call('GET', `/api/v1/offices/${officeId}/escalation-matrix`, head);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ isDefault: true, version: 0, matrix: DEFAULT_ESCALATION_MATRIX });
    const url = `/api/v1/offices/${otherOfficeId}/escalation-matrix`;
    expect((await call('GET', url, officer)).statusCode).toBe(404);
    expect((await call('PUT', url, officer, { matrix: DEFAULT_ESCALATION_MATRIX, version: 0 })).statusCode).toBe(404);
    const mine = `/api/v1/offices/${otherOfficeId}/escalation-matrix`;
    expect((await call('PUT', mine, outsider, { matrix: DEFAULT_ESCALATION_MATRIX, version: 0 })).statusCode).toBe(200);
    // Head of office and staff may not change it.
    const own = `/api/v1/offices/${officeId}/escalation-matrix`;
    expect((await call('PUT', own, head, { matrix: DEFAULT_ESCALATION_MATRIX, version: 0 })).statusCode).toBe(403);
    expect((await call('GET', own, staff)).statusCode).toBe(403);
    const bad = [
      { matrix: { ...DEFAULT_ESCALATION_MATRIX, immediateFromSeverity: 7 }, version: 0 },
      {
        matrix: {
          ...DEFAULT_ESCALATION_MATRIX,
          severities: { ...DEFAULT_ESCALATION_MATRIX.severities, '4': { mode: 'timer', steps: [] } },
        },
        version: 0,
      },
      {
        matrix: {
          ...DEFAULT_ESCALATION_MATRIX,
          severities: {
            ...DEFAULT_ESCALATION_MATRIX.severities,
            '4': { mode: 'timer', steps: [{ targets: ['janitor'], minutes: 60 }] },
          },
        },
        version: 0,
      },
      {
        matrix: {
          ...DEFAULT_ESCALATION_MATRIX,
          severities: {
            ...DEFAULT_ESCALATION_MATRIX.severities,
            '4': { mode: 'timer', steps: [{ targets: ['hq_security'], minutes: 0 }] },
          },
        },
        version: 0,
      },
      { matrix: { severities: {} }, version: 0 },
      { matrix: DEFAULT_ESCALATION_MATRIX },
    ];
    for (const b of bad) {
      const r = await t.app.inject({ method: 'PUT', url: own, headers: officer.headers, payload: b as object });
      expect(r.statusCode, JSON.stringify(b)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    const faster = structuredClone(DEFAULT_ESCALATION_MATRIX);
    faster.severities['3'] = { mode: 'timer', steps: [{ targets: ['hq_security'], minutes: 120 }] };
    const saved = await call('PUT', own, officer, { matrix: faster, version: 0 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ isDefault: false, version: 1 });
    const stale = await call('PUT', own, officer, { matrix: DEFAULT_ESCALATION_MATRIX, version: 0 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().currentVersion).toBe(1);
    const back = await call('PUT', own, officer, { matrix: DEFAULT_ESCALATION_MATRIX, version: 1 });
    expect(back.json()).toMatchObject({ version: 2 });
    const audit = await t.services.audit.list(
      { actor: null, requestId: null },
      { entityType: 'escalation_rule', limit: 10 },
    );
    expect(audit.items.map((e) => e.action)).toContain('escalation_rule.update');
  });

  it('severity 4: HQ is told in-app and by e-mail, the head of office at once; past the deadline the job re-notifies and escalates; HQ acknowledges', async () => {
    const incident = await report('Armed robbery of a staff vehicle at Tserovani');
    expect(await steps(incident.id)).toEqual([]);
    const before = smtp.mails.length;
    await setSeverity(incident.id, 4);
    const [first, immediate, ...rest] = [
      ...(await steps(incident.id)).filter((s) => s.kind === 'timer'),
      ...(await steps(incident.id)).filter((s) => s.kind === 'immediate'),
    ];
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ level: 1, status: 'open', targets: ['hq_security'] });
    expect(first?.dueAt).toBe(new Date(t.clock.now().getTime() + 60 * MIN).toISOString());
    expect(immediate).toMatchObject({ kind: 'immediate', status: 'sent' });
    expect((await inbox(hq)).some((n) => n.kind === 'incident.escalated' && n.entityId === incident.id)).toBe(true);
    expect((await inbox(head)).some((n) => n.kind === 'incident.immediate_alert' && n.entityId === incident.id)).toBe(
      true,
    );
    const hqNotified = (await call('GET', `/api/v1/incidents/${incident.id}`, officer)).json();
    expect(hqNotified.hqNotifiedAt).toBe(t.clock.now().toISOString());
    // The e-mail reaches the real SMTP server on loopback.
    await t.services.notifications.deliverOutbox(t.clock.now());
    const mails = (await smtp.waitFor(before + 1)).slice(before);
    const toHq = mails.find((m) => m.to.includes(hq.user.email));
    expect(toHq?.subject).toMatch(/severity 4/i);
    expect(toHq?.text).toContain(incident.reference);

    // 59 minutes: nothing. 61 minutes: overdue → re-notify HQ and escalate to level 2 (admin + head of office).
    t.clock.advance(59 * MIN);
    expect(await t.services.escalation.runEscalations(t.clock.now())).toEqual({ overdue: 0, escalated: 0 });
    t.clock.advance(2 * MIN);
    expect(await t.services.escalation.runEscalations(t.clock.now())).toEqual({ overdue: 1, escalated: 1 });
    // Idempotent: the same `now` again does nothing more.
    expect(await t.services.escalation.runEscalations(t.clock.now())).toEqual({ overdue: 0, escalated: 0 });
    const timers = (await steps(incident.id)).filter((s) => s.kind === 'timer');
    expect(timers.map((s) => [s.level, s.status])).toEqual([
      [1, 'overdue'],
      [2, 'open'],
    ]);
    expect(timers[1]?.targets).toEqual(['admin', 'head_of_office']);
    expect((await inbox(hq)).filter((n) => n.kind === 'incident.escalation_overdue')).toHaveLength(1);
    expect((await inbox(admin)).some((n) => n.kind === 'incident.escalation_overdue')).toBe(true);
    expect((await inbox(head)).some((n) => n.kind === 'incident.escalation_overdue')).toBe(true);

    // Staff cannot acknowledge; HQ can, once; that stops every waiting step.
    const waiting = (await steps(incident.id, hq)).find((s) => s.status === 'open');
    expect(waiting?.canAcknowledge).toBe(true);
    expect((await call('POST', `/api/v1/incident-escalations/${waiting?.id}/acknowledge`, staff, {})).statusCode).toBe(
      403,
    );
    expect(
      (await call('POST', `/api/v1/incident-escalations/${waiting?.id}/acknowledge`, outsider, {})).statusCode,
    ).toBe(404);
    const ack = await call('POST', `/api/v1/incident-escalations/${timers[0]?.id}/acknowledge`, hq, {});
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: hq.user.id });
    expect((await call('POST', `/api/v1/incident-escalations/${waiting?.id}/acknowledge`, hq, {})).statusCode).toBe(
      409,
    );
    expect((await steps(incident.id)).filter((s) => s.kind === 'timer').map((s) => s.status)).toEqual([
      'acknowledged',
      'acknowledged',
    ]);
    const acked = (await call('GET', `/api/v1/incidents/${incident.id}`, officer)).json();
    expect(acked.hqAcknowledgedAt).toBe(t.clock.now().toISOString());
    expect((await inbox(officer)).some((n) => n.kind === 'incident.hq_acknowledged')).toBe(true);
    t.clock.advance(120 * MIN);
    expect(await t.services.escalation.runEscalations(t.clock.now())).toEqual({ overdue: 0, escalated: 0 });
    const audit = await t.services.audit.list(
      { actor: null, requestId: null },
      { entityType: 'incident_escalation', limit: 20 },
    );
    expect(new Set(audit.items.map((e) => e.action))).toEqual(
      new Set(['incident.escalate', 'incident.escalation_overdue', 'incident.escalation_ack']),
    );
  });

  it('awaiting an external party pauses the clock: the deadline moves by the time paused', async () => {
    const incident = await report('Staff member detained at a checkpoint');
    await setSeverity(incident.id, 4);
    await transition(incident.id, 'triaged');
    const due = (await steps(incident.id)).find((s) => s.kind === 'timer')?.dueAt as string;
    t.clock.advance(30 * MIN);
    await transition(incident.id, 'awaiting_external', { reason: 'Waiting for the police report' });
    expect((await steps(incident.id)).find((s) => s.kind === 'timer')?.paused).toBe(true);
    t.clock.advance(90 * MIN); // well past the original deadline, but paused
    expect(await t.services.escalation.runEscalations(t.clock.now())).toEqual({ overdue: 0, escalated: 0 });
    await transition(incident.id, 'triaged');
    const moved = (await steps(incident.id)).find((s) => s.kind === 'timer');
    expect(moved?.paused).toBe(false);
    expect(moved?.dueAt).toBe(new Date(Date.parse(due) + 90 * MIN).toISOString());
    t.clock.advance(29 * MIN);
    expect((await t.services.escalation.runEscalations(t.clock.now())).overdue).toBe(0);
    t.clock.advance(2 * MIN);
    expect((await t.services.escalation.runEscalations(t.clock.now())).overdue).toBe(1);
  });

  it('severities 2 and 1 have no timer (periodic report, monthly summary); rising to 3 starts one; rejecting cancels it', async () => {
    const incident = await report('Bag snatched near the office');
    await setSeverity(incident.id, 1);
    expect((await steps(incident.id)).map((s) => [s.kind, s.status])).toEqual([['monthly_summary', 'recorded']]);
    await setSeverity(incident.id, 2);
    expect((await steps(incident.id)).map((s) => s.kind)).toEqual(['monthly_summary', 'periodic_report']);
    // Going down starts nothing.
    await setSeverity(incident.id, 1);
    expect(await steps(incident.id)).toHaveLength(2);
    await setSeverity(incident.id, 3);
    const timer = (await steps(incident.id)).find((s) => s.kind === 'timer');
    expect(timer).toMatchObject({ level: 1, status: 'open' });
    expect(timer?.dueAt).toBe(new Date(t.clock.now().getTime() + 24 * 60 * MIN).toISOString());
    await transition(incident.id, 'rejected', { reason: 'Not an incident: the bag was found' });
    expect((await steps(incident.id)).find((s) => s.kind === 'timer')?.status).toBe('cancelled');
    // A day later (the job takes its `now`; the sessions of this test stay valid): still nothing for it.
    await t.services.escalation.runEscalations(new Date(t.clock.now().getTime() + 25 * 60 * MIN));
    expect((await steps(incident.id)).filter((s) => s.kind === 'timer').map((s) => s.status)).toEqual(['cancelled']);
  });

  it('alerts the head of office at once for an "always immediate" category, before any severity', async () => {
    const kidnap = (await t.services.incidents.categories.list({ actor: null, requestId: null }, officeId)).find(
      (c) => c.alwaysImmediate,
    );
    expect(kidnap, 'the starter catalogue has an always-immediate category').toBeDefined();
    const incident = await report('Driver missing since this morning', kidnap?.code);
    expect((await steps(incident.id)).map((s) => s.kind)).toEqual(['immediate']);
    expect((await inbox(head)).some((n) => n.kind === 'incident.immediate_alert' && n.entityId === incident.id)).toBe(
      true,
    );
  });

  it("lists HQ's queue of waiting escalations, and answers 404 for unknown ids", async () => {
    const incident = await report('Suspicious vehicle filming the gate');
    await setSeverity(incident.id, 4);
    const queue = await call('GET', '/api/v1/incident-escalations', hq);
    expect(queue.statusCode).toBe(200);
    expect(queue.json().items.map((i: { incidentId: string }) => i.incidentId)).toContain(incident.id);
    const outsiders = (await call('GET', '/api/v1/incident-escalations', outsider)).json();
    expect(outsiders.items.map((i: { incidentId: string }) => i.incidentId)).not.toContain(incident.id);
    expect((await call('GET', `/api/v1/incident-escalations?officeId=${otherOfficeId}`, officer)).statusCode).toBe(404);
    expect(
      (await call('POST', '/api/v1/incident-escalations/0190a0b0-0000-7000-8000-000000000001/acknowledge', hq, {}))
        .statusCode,
    ).toBe(404);
    expect((await call('POST', '/api/v1/incident-escalations/not-an-id/acknowledge', hq, {})).statusCode).toBe(400);
  });
});
