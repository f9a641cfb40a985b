import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './build-test-app.ts';
import { makeOffice, signedInAs } from './factories.ts';
import { type SmtpSink, startSmtpSink, useSmtpSink } from './notification-sinks.ts';
import { testEngines } from './test-db.ts';

/**
 * Issue #4, "what it must show", end to end through the HTTP API with real peers: a staff member runs the
 * built-in office inspection on a phone and fails an item; the security officer turns it into a task for the
 * guard supervisor; the supervisor gets it in the in-app inbox and by e-mail on a real SMTP server on loopback;
 * the task is in the supervisor's calendar feed (parsed by ical.js); the supervisor closes it and the audit trail
 * says who closed it.
 */
type Headers = { cookie: string };

describe.each(testEngines())('failed checklist item → task → inbox, e-mail, calendar, audit on %s', (engine) => {
  let t: TestApp;
  let smtp: SmtpSink;
  let officeId: string;
  let admin: Headers;
  let officer: Headers;
  let inspector: Headers;
  let owner: { user: { id: string; email: string }; headers: Headers };

  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    headers?: Headers,
    payload?: object,
  ) => t.app.inject({ method, url, ...(headers ? { headers } : {}), ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await buildTestApp(engine);
    await t.services.checklists.ensureBuiltInTemplates(); // as the server does at start
    smtp = await startSmtpSink();
    officeId = (await makeOffice(t.services, { code: 'E2E4' })).id;
    admin = (await signedInAs(t, 'admin')).headers;
    officer = (await signedInAs(t, 'security_officer', ['E2E4'])).headers;
    inspector = (await signedInAs(t, 'staff', ['E2E4'])).headers;
    owner = await signedInAs(t, 'staff', ['E2E4']);
    await useSmtpSink(t.app, admin, smtp);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('holds from the failed item to the closed task', async () => {
    // 1. Staff runs the built-in physical-security inspection and finds a gate that does not lock.
    const templates = (await call('GET', `/api/v1/offices/${officeId}/checklist-templates?limit=50`, inspector)).json();
    const inspection = templates.items.find(
      (i: { builtinKey: string | null }) => i.builtinKey === 'office-physical-security',
    );
    expect(inspection).toBeDefined();
    const started = await call('POST', `/api/v1/offices/${officeId}/checklist-runs`, inspector, {
      templateId: inspection.id,
      location: 'Main gate, rear courtyard',
    });
    expect(started.statusCode, started.body).toBe(201);
    const run = started.json();
    const answered = await call('PUT', `/api/v1/checklist-runs/${run.id}/answers/gates-lock`, inspector, {
      value: 'no',
      note: 'Pedestrian gate latch broken; gate swings open',
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json().failedItems).toEqual([
      { itemId: 'gates-lock', label: 'Vehicle and pedestrian gates close fully and lock', taskId: null },
    ]);

    // 2. One click for the officer: the failed item becomes a task owned by the guard supervisor.
    const due = new Date(t.clock.now().getTime() + 3 * 86_400_000).toISOString();
    const made = await call('POST', `/api/v1/checklist-runs/${run.id}/items/gates-lock/task`, officer, {
      ownerUserId: owner.user.id,
      dueAt: due,
      priority: 'high',
    });
    expect(made.statusCode, made.body).toBe(201);
    const task = made.json();
    expect(task).toMatchObject({
      title: 'Vehicle and pedestrian gates close fully and lock',
      ownerUserId: owner.user.id,
      status: 'open',
      subject: { entityType: 'checklist_run', entityId: run.id },
    });
    expect(task.description).toMatch(/latch broken/);

    // 3. In-app: the owner's inbox has it, unread, pointing at the task.
    const unread = (await call('GET', '/api/v1/notifications?unread=true', owner.headers)).json();
    const note = unread.items.find((n: { entityId: string }) => n.entityId === task.id);
    expect(note).toMatchObject({ kind: 'task.assigned', entityType: 'task', readAt: null });
    expect(note.title).toContain(task.title);

    // 4. E-mail: the outbox worker delivers it to the real SMTP server on loopback, text and HTML.
    const before = smtp.mails.length;
    await t.services.notifications.deliverOutbox(t.clock.now());
    const mails = await smtp.waitFor(before + 1);
    const mail = mails.slice(before).find((m) => m.to.includes(owner.user.email));
    expect(mail, 'an e-mail to the owner').toBeDefined();
    expect(mail?.subject).toContain(task.title);
    expect(mail?.text).toContain(task.title);
    expect(mail?.html).toContain('Vehicle and pedestrian gates');

    // 5. Calendar: the owner's token feed lists the task; ical.js parses it.
    const feed = await call('POST', '/api/v1/calendar/feed', owner.headers);
    expect(feed.statusCode, feed.body).toBe(201);
    const ics = await call('GET', new URL(feed.json().url).pathname);
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
    const cal = new ICAL.Component(ICAL.parse(ics.body));
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const event = events.find((e) => e.uid.startsWith(`task-${task.id}`));
    expect(event?.summary).toBe(task.title);
    expect(event?.startDate.toJSDate().toISOString()).toBe(due);

    // 6. The owner fixes the gate and closes the task; the audit trail says who and what.
    const closed = await call('PATCH', `/api/v1/tasks/${task.id}`, owner.headers, {
      status: 'done',
      version: task.version,
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'done' });
    const audit = (await call('GET', `/api/v1/audit?entityType=task&entityId=${task.id}`, admin)).json();
    const closing = audit.items.find(
      (e: { action: string; changes: unknown }) =>
        e.action === 'task.update' && JSON.stringify(e.changes).includes('"done"'),
    );
    expect(closing, JSON.stringify(audit.items)).toBeDefined();
    expect(closing.actorUserId).toBe(owner.user.id);
    expect((await call('GET', '/api/v1/audit/verify', admin)).json()).toMatchObject({ ok: true });

    // And the closed task has left the feed.
    const after = await call('GET', new URL(feed.json().url).pathname);
    const left = new ICAL.Component(ICAL.parse(after.body)).getAllSubcomponents('vevent');
    expect(left.map((v) => new ICAL.Event(v).uid).filter((u) => u.startsWith(`task-${task.id}`))).toEqual([]);
  });
});
