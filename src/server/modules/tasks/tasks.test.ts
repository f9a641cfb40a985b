import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_START, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, makeUser, signedInAs, signIn } from '../../../../test/factories.ts';
import { testEngines } from '../../../../test/test-db.ts';
import { systemCtx } from '../../lib/auth.ts';
import type { NotificationRequest } from '../../lib/ports.ts';

const HOUR = 3600_000;

describe.each(testEngines())('tasks API on %s', (engine) => {
  let t: TestApp;
  let officeId: string;
  let otherOfficeId: string;
  let officer: { cookie: string };
  let otherOfficer: { cookie: string };
  let staff: { user: { id: string }; headers: { cookie: string } };
  let colleague: { user: { id: string }; headers: { cookie: string } };
  let auditor: { cookie: string };
  const sent: NotificationRequest[] = [];

  beforeAll(async () => {
    t = await buildTestApp(engine);
    // Record what the tasks module asks the notifier to send (delivery is the notifications module's job).
    const real = t.services.notifier.notify.bind(t.services.notifier);
    t.services.notifier.notify = async (ex, ctx, req) => {
      sent.push(req);
      await real(ex, ctx, req);
    };
    officeId = (await makeOffice(t.services, { code: 'TSK' })).id;
    otherOfficeId = (await makeOffice(t.services, { code: 'TSO' })).id;
    officer = (await signedInAs(t, 'security_officer', ['TSK'])).headers;
    otherOfficer = (await signedInAs(t, 'security_officer', ['TSO'])).headers;
    staff = await signedInAs(t, 'staff', ['TSK']);
    colleague = await signedInAs(t, 'staff', ['TSK']);
    auditor = (await signedInAs(t, 'auditor')).headers;
  });
  afterAll(() => t.close());

  const create = (payload: object, headers = officer, office = officeId) =>
    t.app.inject({ method: 'POST', url: `/api/v1/offices/${office}/tasks`, headers, payload });
  const patch = (id: string, payload: object, headers = officer) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/tasks/${id}`, headers, payload });
  const get = (url: string, headers = officer) => t.app.inject({ method: 'GET', url, headers });

  it('creates, reads, edits with the version (stale → 409) and closes a task, all audited', async () => {
    const due = new Date(Date.parse(TEST_START) + 48 * HOUR).toISOString();
    const res = await create({
      title: 'Replace the gate lock',
      description: 'The side gate lock is broken.',
      ownerUserId: staff.user.id,
      dueAt: due,
      priority: 'high',
      subject: { entityType: 'office', entityId: officeId },
    });
    expect(res.statusCode, res.body).toBe(201);
    const task = res.json();
    expect(task).toMatchObject({
      officeId,
      title: 'Replace the gate lock',
      ownerUserId: staff.user.id,
      dueAt: due,
      priority: 'high',
      status: 'open',
      overdue: false,
      subject: { entityType: 'office', entityId: officeId },
      seriesId: null,
      version: 1,
    });
    expect(sent.some((n) => n.kind === 'task.assigned' && n.entityId === task.id)).toBe(true);

    const edited = await patch(task.id, { title: 'Replace the side gate lock', status: 'in_progress', version: 1 });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ title: 'Replace the side gate lock', status: 'in_progress', version: 2 });
    const stale = await patch(task.id, { title: 'Stale', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().currentVersion).toBe(2);

    const done = await patch(task.id, { status: 'done', version: 2 });
    expect(done.json()).toMatchObject({ status: 'done', version: 3, completedAt: TEST_START });
    expect(done.json().completedBy).toBeTruthy();

    const history = await get(`/api/v1/tasks/${task.id}/history`);
    expect(history.statusCode).toBe(200);
    const actions = history.json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['task.update', 'task.update', 'task.create']);
    expect(history.json().items[0].changes.status).toEqual(['in_progress', 'done']);
  });

  it('rejects bad input with clear 400s', async () => {
    for (const bad of [
      { title: '' },
      { title: 'x', priority: 'extreme' },
      { title: 'x', dueAt: 'tomorrow' },
      { title: 'x', ownerUserId: '0190a0a0-0000-7000-8000-000000000000' },
      { title: 'x', subject: { entityType: 'spaceship', entityId: 'x' } },
      { title: 'x', subject: { entityType: 'office', entityId: otherOfficeId } },
      { title: 'x', unknown: 1 },
    ]) {
      const res = await create(bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('lets staff see and work on their own tasks only', async () => {
    const mine = (await create({ title: 'Check radio', ownerUserId: staff.user.id })).json();
    const theirs = (await create({ title: 'Check generator', ownerUserId: colleague.user.id })).json();

    const list = await get('/api/v1/tasks/mine', staff.headers);
    expect(list.statusCode).toBe(200);
    const ids = list.json().items.map((x: { id: string }) => x.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect(list.json().items.every((x: { ownerUserId: string }) => x.ownerUserId === staff.user.id)).toBe(true);

    expect((await get(`/api/v1/tasks/${mine.id}`, staff.headers)).statusCode).toBe(200);
    expect((await get(`/api/v1/tasks/${theirs.id}`, staff.headers)).statusCode).toBe(404);
    expect((await patch(theirs.id, { status: 'done', version: 1 }, staff.headers)).statusCode).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/tasks/${theirs.id}/comments`,
          headers: staff.headers,
          payload: { body: 'hi' },
        })
      ).statusCode,
    ).toBe(404);
    // Staff have no office view and cannot create.
    expect((await get(`/api/v1/offices/${officeId}/tasks`, staff.headers)).statusCode).toBe(403);
    expect((await create({ title: 'x' }, staff.headers)).statusCode).toBe(403);

    // Their own: the status, and comments — not the title.
    expect((await patch(mine.id, { title: 'Renamed', version: 1 }, staff.headers)).statusCode).toBe(403);
    const started = await patch(mine.id, { status: 'in_progress', version: 1 }, staff.headers);
    expect(started.statusCode, started.body).toBe(200);
    const comment = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tasks/${mine.id}/comments`,
      headers: staff.headers,
      payload: { body: 'Channel 3 is silent.' },
    });
    expect(comment.statusCode, comment.body).toBe(201);
    const comments = (await get(`/api/v1/tasks/${mine.id}/comments`, officer)).json();
    expect(comments.items).toHaveLength(1);
    expect(comments.items[0]).toMatchObject({ body: 'Channel 3 is silent.', authorUserId: staff.user.id });
    // The comment reaches whoever created the task.
    expect(sent.some((n) => n.kind === 'task.comment' && n.entityId === mine.id)).toBe(true);

    // The auditor reads everything but changes nothing.
    expect((await get(`/api/v1/tasks/${mine.id}`, auditor)).statusCode).toBe(200);
    expect((await patch(mine.id, { status: 'done', version: 2 }, auditor)).statusCode).toBe(403);
  });

  it("hides another office's tasks (404) and filters the office view", async () => {
    const other = (await create({ title: 'Other office task' }, otherOfficer, otherOfficeId)).json();
    expect(other.officeId).toBe(otherOfficeId);
    expect((await get(`/api/v1/tasks/${other.id}`)).statusCode).toBe(404);
    expect((await patch(other.id, { status: 'done', version: 1 })).statusCode).toBe(404);
    expect((await get(`/api/v1/offices/${otherOfficeId}/tasks`)).statusCode).toBe(404);
    expect((await create({ title: 'x' }, officer, otherOfficeId)).statusCode).toBe(404);

    const past = new Date(Date.parse(TEST_START) - HOUR).toISOString();
    const late = (await create({ title: 'Late one', dueAt: past, ownerUserId: colleague.user.id })).json();
    expect(late.overdue).toBe(true);
    const overdue = (await get(`/api/v1/offices/${officeId}/tasks?overdue=true`)).json();
    expect(overdue.items.map((x: { id: string }) => x.id)).toEqual([late.id]);
    const byOwner = (
      await get(`/api/v1/offices/${officeId}/tasks?ownerUserId=${colleague.user.id}&status=active`)
    ).json();
    expect(byOwner.items.every((x: { ownerUserId: string }) => x.ownerUserId === colleague.user.id)).toBe(true);
    expect(byOwner.items.length).toBeGreaterThanOrEqual(2);
    const bySubject = (await get(`/api/v1/offices/${officeId}/tasks?subjectType=office&subjectId=${officeId}`)).json();
    expect(bySubject.items.map((x: { title: string }) => x.title)).toEqual(['Replace the side gate lock']);
    // Paging: one at a time, every task once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const pageRes = await get(`/api/v1/offices/${officeId}/tasks?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      const body = pageRes.json();
      seen.push(...body.items.map((x: { id: string }) => x.id));
      cursor = body.nextCursor;
    } while (cursor);
    const all = (await get(`/api/v1/offices/${officeId}/tasks?limit=200`)).json().items;
    expect(seen).toEqual(all.map((x: { id: string }) => x.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('applies bulk actions all or nothing, each audited', async () => {
    const a = (await create({ title: 'Bulk A' })).json();
    const b = (await create({ title: 'Bulk B' })).json();
    const other = (await create({ title: 'Bulk other office' }, otherOfficer, otherOfficeId)).json();
    const bulk = (payload: object) =>
      t.app.inject({ method: 'POST', url: '/api/v1/tasks/bulk', headers: officer, payload });

    const refused = await bulk({ action: 'setStatus', ids: [a.id, other.id], status: 'done' });
    expect(refused.statusCode).toBe(404);
    expect((await get(`/api/v1/tasks/${a.id}`)).json().status).toBe('open');

    const assigned = await bulk({ action: 'setOwner', ids: [a.id, b.id], ownerUserId: colleague.user.id });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json().items.map((x: { ownerUserId: string }) => x.ownerUserId)).toEqual([
      colleague.user.id,
      colleague.user.id,
    ]);
    const due = new Date(Date.parse(TEST_START) + 72 * HOUR).toISOString();
    expect((await bulk({ action: 'setDueAt', ids: [a.id, b.id], dueAt: due })).statusCode).toBe(200);
    const closed = await bulk({ action: 'setStatus', ids: [a.id, b.id], status: 'done' });
    expect(closed.json().items.map((x: { status: string; version: number }) => [x.status, x.version])).toEqual([
      ['done', 4],
      ['done', 4],
    ]);
    const history = (await get(`/api/v1/tasks/${b.id}/history`)).json().items;
    expect(history.map((e: { action: string; changes: { bulk?: string } }) => [e.action, e.changes.bulk])).toEqual([
      ['task.update', 'setStatus'],
      ['task.update', 'setDueAt'],
      ['task.update', 'setOwner'],
      ['task.create', undefined],
    ]);
    // Someone who cannot be an owner here: nothing changes.
    const outsider = await makeUser(t.services, 'staff', ['TSO']);
    const refusedOwner = await bulk({ action: 'setOwner', ids: [a.id, b.id], ownerUserId: outsider.id });
    expect(refusedOwner.statusCode).toBe(400);
    expect((await get(`/api/v1/tasks/${a.id}`)).json().ownerUserId).toBe(colleague.user.id);
    // Staff may not bulk-edit.
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/tasks/bulk',
          headers: staff.headers,
          payload: { action: 'setStatus', ids: [a.id], status: 'open' },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('sends due-soon and overdue reminders once per task and due date', async () => {
    const start = Date.parse(TEST_START);
    const user = await makeUser(t.services, 'staff', ['TSK']);
    const task = await t.services.tasks.create(systemCtx, {
      officeId,
      title: 'Renew the satellite phone plan',
      ownerUserId: user.id,
      dueAt: new Date(start + 30 * HOUR).toISOString(),
    });
    const mineOf = (kind: string) => sent.filter((n) => n.kind === kind && n.entityId === task.id);
    try {
      await t.services.tasks.runReminders(new Date(start));
      expect(mineOf('task.due_soon')).toHaveLength(0); // 30 h away
      await t.services.tasks.runReminders(new Date(start + 7 * HOUR));
      await t.services.tasks.runReminders(new Date(start + 8 * HOUR));
      expect(mineOf('task.due_soon')).toHaveLength(1);
      expect(mineOf('task.due_soon')[0]?.recipients).toEqual([user.id]);
      await t.services.tasks.runReminders(new Date(start + 31 * HOUR));
      await t.services.tasks.runReminders(new Date(start + 40 * HOUR));
      expect(mineOf('task.overdue')).toHaveLength(1);
      expect(mineOf('task.due_soon')).toHaveLength(1);
      // A new due date re-arms both.
      t.clock.set(new Date(start + 41 * HOUR));
      await t.services.tasks.update(systemCtx, task.id, {
        dueAt: new Date(start + 50 * HOUR).toISOString(),
        version: task.version,
      });
      await t.services.tasks.runReminders(new Date(start + 42 * HOUR));
      expect(mineOf('task.due_soon')).toHaveLength(2);
      await t.services.tasks.runReminders(new Date(start + 51 * HOUR));
      expect(mineOf('task.overdue')).toHaveLength(2);
      // Done: nothing more.
      const current = await t.services.tasks.get(systemCtx, task.id);
      await t.services.tasks.update(systemCtx, task.id, {
        dueAt: new Date(start + 60 * HOUR).toISOString(),
        status: 'done',
        version: current.version,
      });
      await t.services.tasks.runReminders(new Date(start + 70 * HOUR));
      expect(mineOf('task.overdue')).toHaveLength(2);
    } finally {
      t.clock.set(TEST_START);
    }
  });

  it('creates through the service inside the caller’s transaction (the interface other modules use)', async () => {
    const user = await makeUser(t.services, 'staff', ['TSK']);
    const rolledBack = t.db.database.db.transaction().execute(async (trx) => {
      await t.services.tasks.create(systemCtx, { officeId, title: 'Inside', ownerUserId: user.id }, trx);
      throw new Error('roll back');
    });
    await expect(rolledBack).rejects.toThrow('roll back');
    const own = await signIn(t, user.email);
    expect((await get('/api/v1/tasks/mine', own)).json().items).toHaveLength(0);
    const made = await t.db.database.db
      .transaction()
      .execute((trx) => t.services.tasks.create(systemCtx, { officeId, title: 'Inside', ownerUserId: user.id }, trx));
    expect((await get('/api/v1/tasks/mine', own)).json().items.map((x: { id: string }) => x.id)).toEqual([made.id]);
    // Tasks are linkable records: a task may belong to another task.
    const sub = await t.services.tasks.create(systemCtx, {
      officeId,
      title: 'Sub-task',
      subject: { entityType: 'task', entityId: made.id },
    });
    expect(sub.subject).toEqual({ entityType: 'task', entityId: made.id });
  });

  describe('recurrence', () => {
    const activeOf = async (seriesId: string) =>
      (await get(`/api/v1/offices/${officeId}/tasks?seriesId=${seriesId}&status=active`)).json().items as {
        id: string;
        dueAt: string;
        version: number;
        overdue: boolean;
      }[];

    it('makes the next occurrence when one is done — one at a time, never a pile', async () => {
      // TEST_START is Saturday 28 November 2026, 09:00 UTC: the first Monday is the 30th.
      const res = await create({
        title: 'Weekly radio check',
        ownerUserId: staff.user.id,
        dueAt: TEST_START,
        recurrence: { rrule: 'RRULE:freq=weekly;byday=MO' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const first = res.json();
      expect(first.dueAt).toBe('2026-11-30T09:00:00.000Z');
      expect(first.seriesId).toBeTruthy();
      const series = (await get(`/api/v1/task-series/${first.seriesId}`)).json();
      expect(series).toMatchObject({ rrule: 'FREQ=WEEKLY;BYDAY=MO', active: true, lastOccurrenceAt: first.dueAt });
      // The owner (staff) reads the series too.
      expect((await get(`/api/v1/task-series/${first.seriesId}`, staff.headers)).statusCode).toBe(200);

      const done = await patch(first.id, { status: 'done', version: 1 }, staff.headers);
      expect(done.statusCode, done.body).toBe(200);
      const open = await activeOf(first.seriesId);
      expect(open.map((x) => x.dueAt)).toEqual(['2026-12-07T09:00:00.000Z']);
      // Reopening and closing the old one again makes nothing new: the series has moved on.
      const reopened = await patch(first.id, { status: 'open', version: 2 });
      await patch(first.id, { status: 'cancelled', version: reopened.json().version });
      expect((await activeOf(first.seriesId)).map((x) => x.dueAt)).toEqual(['2026-12-07T09:00:00.000Z']);
      // The job finds nothing due yet.
      expect(await t.services.tasks.runRecurrence(new Date('2026-12-01T00:00:00.000Z'))).toBe(0);
      const all = (await get(`/api/v1/offices/${officeId}/tasks?seriesId=${first.seriesId}`)).json().items;
      expect(all).toHaveLength(2);
    });

    it('makes the next occurrence when the due date passes (the missed one stays, overdue)', async () => {
      const first = (
        await create({
          title: 'Monthly generator test',
          ownerUserId: colleague.user.id,
          dueAt: '2026-12-01T08:00:00.000Z',
          recurrence: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1' },
        })
      ).json();
      expect(first.dueAt).toBe('2026-12-01T08:00:00.000Z');
      expect(await t.services.tasks.runRecurrence(new Date('2026-11-30T00:00:00.000Z'))).toBe(0);
      const passed = new Date('2026-12-01T08:00:01.000Z');
      expect(await t.services.tasks.runRecurrence(passed)).toBe(1);
      expect(await t.services.tasks.runRecurrence(passed)).toBe(0);
      // (Sessions are not used with a moved clock: they would expire.)
      const open = await activeOf(first.seriesId);
      expect(open.map((x) => x.dueAt)).toEqual(['2026-12-01T08:00:00.000Z', '2027-01-01T08:00:00.000Z']);
      const missed = await t.services.tasks.get(systemCtx, open[0]?.id ?? '');
      t.clock.set(passed);
      try {
        expect((await t.services.tasks.get(systemCtx, missed.id)).overdue).toBe(true);
        // Closing the missed one now makes nothing more: the next is already there.
        await t.services.tasks.update(systemCtx, missed.id, { status: 'done', version: missed.version });
      } finally {
        t.clock.set(TEST_START);
      }
      expect((await activeOf(first.seriesId)).map((x) => x.dueAt)).toEqual(['2027-01-01T08:00:00.000Z']);
      // A server that was down for months makes one next occurrence, not one per missed month.
      await t.services.tasks.runRecurrence(new Date('2027-05-15T00:00:00.000Z'));
      expect((await activeOf(first.seriesId)).map((x) => x.dueAt)).toEqual([
        '2027-01-01T08:00:00.000Z',
        '2027-06-01T08:00:00.000Z',
      ]);
    });

    it('ends with the rule (COUNT) and can be stopped', async () => {
      const first = (
        await create({ title: 'Two checks', dueAt: TEST_START, recurrence: { rrule: 'FREQ=DAILY;COUNT=2' } })
      ).json();
      await patch(first.id, { status: 'done', version: 1 });
      const [second] = await activeOf(first.seriesId);
      expect(second?.dueAt).toBe('2026-11-29T09:00:00.000Z');
      await patch(second?.id ?? '', { status: 'done', version: 1 });
      expect(await activeOf(first.seriesId)).toEqual([]);
      expect((await get(`/api/v1/task-series/${first.seriesId}`)).json().active).toBe(false);

      const daily = (await create({ title: 'Daily', dueAt: TEST_START, recurrence: { rrule: 'FREQ=DAILY' } })).json();
      const s = (await get(`/api/v1/task-series/${daily.seriesId}`)).json();
      const stopped = await t.app.inject({
        method: 'POST',
        url: `/api/v1/task-series/${daily.seriesId}/stop`,
        headers: officer,
        payload: { version: s.version },
      });
      expect(stopped.statusCode, stopped.body).toBe(200);
      expect(stopped.json().active).toBe(false);
      await patch(daily.id, { status: 'done', version: 1 });
      expect(await activeOf(daily.seriesId)).toEqual([]);
      expect(await t.services.tasks.runRecurrence(new Date('2027-01-01T00:00:00.000Z'))).toBe(0);
    });

    it('rejects rules that are invalid, never occur or occur more than hourly (400)', async () => {
      for (const rrule of [
        'FREQ=FORTNIGHTLY',
        'garbage',
        'FREQ=WEEKLY;BYDAY=XX',
        'FREQ=MINUTELY',
        'FREQ=HOURLY;BYMINUTE=0,30',
        'FREQ=DAILY;UNTIL=20200101T000000Z',
        'FREQ=DAILY;COUNT=0',
        'FREQ=MONTHLY;BYMONTHDAY=40',
        'DTSTART:20200101T000000Z\nRRULE:FREQ=DAILY',
        'FREQ=DAILY;FREQ=WEEKLY',
      ]) {
        const res = await create({ title: 'Bad rule', dueAt: TEST_START, recurrence: { rrule } });
        expect(res.statusCode, rrule).toBe(400);
        expect(res.json().errors[0].path, rrule).toBe('body.recurrence.rrule');
      }
    });
  });
});
