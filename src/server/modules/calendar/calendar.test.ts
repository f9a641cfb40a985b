import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_START, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, signedInAs } from '../../../../test/factories.ts';
import { testEngines } from '../../../../test/test-db.ts';
import { systemCtx } from '../../lib/auth.ts';

function parseFeed(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  return cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

describe.each(testEngines())('calendar feed on %s', (engine) => {
  let t: TestApp;
  let officeId: string;
  let staff: { user: { id: string; email: string }; headers: { cookie: string } };
  let other: { user: { id: string }; headers: { cookie: string } };

  beforeAll(async () => {
    t = await buildTestApp(engine);
    officeId = (await makeOffice(t.services, { code: 'CAL' })).id;
    staff = await signedInAs(t, 'staff', ['CAL']);
    other = await signedInAs(t, 'staff', ['CAL']);
  });
  afterAll(() => t.close());

  const feedPath = (url: string) => new URL(url).pathname;

  it('serves the owner’s open tasks and recurring work as iCalendar that ical.js parses', async () => {
    const due = new Date(Date.parse(TEST_START) + 26 * 3600_000).toISOString();
    const task = await t.services.tasks.create(systemCtx, {
      officeId,
      title: 'Renew the guard contract',
      description: 'Call the agency; ask for the night shift too.',
      ownerUserId: staff.user.id,
      dueAt: due,
      priority: 'high',
    });
    const weekly = await t.services.tasks.create(systemCtx, {
      officeId,
      title: 'Weekly radio check',
      ownerUserId: staff.user.id,
      dueAt: TEST_START,
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO' },
    });
    const counted = await t.services.tasks.create(systemCtx, {
      officeId,
      title: 'Three fire drills',
      ownerUserId: staff.user.id,
      dueAt: TEST_START,
      recurrence: { rrule: 'FREQ=MONTHLY;COUNT=3' },
    });
    // Not in the feed: no due date, closed, someone else's.
    await t.services.tasks.create(systemCtx, { officeId, title: 'Someday', ownerUserId: staff.user.id });
    const closed = await t.services.tasks.create(systemCtx, {
      officeId,
      title: 'Closed one',
      ownerUserId: staff.user.id,
      dueAt: due,
    });
    await t.services.tasks.update(systemCtx, closed.id, { status: 'done', version: 1 });
    await t.services.tasks.create(systemCtx, { officeId, title: 'Not mine', ownerUserId: other.user.id, dueAt: due });

    expect((await t.app.inject({ url: '/api/v1/calendar/feed', headers: staff.headers })).json()).toEqual({
      active: false,
      createdAt: null,
      lastUsedAt: null,
    });
    const made = await t.app.inject({ method: 'POST', url: '/api/v1/calendar/feed', headers: staff.headers });
    expect(made.statusCode, made.body).toBe(201);
    const { token, url } = made.json();
    expect(token).toMatch(/^ocf_/);
    expect(url).toMatch(/\/api\/v1\/calendar\/feed\/ocf_[\w-]+\.ics$/);

    const res = await t.app.inject({ url: feedPath(url) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const events = parseFeed(res.body);
    expect(events.map((e) => e.summary).sort()).toEqual([
      'Renew the guard contract',
      'Three fire drills',
      'Three fire drills',
      'Weekly radio check',
      'Weekly radio check',
    ]);
    expect(events).toHaveLength(5);

    const single = events.find((e) => e.uid.startsWith(`task-${task.id}`));
    expect(single?.summary).toBe('Renew the guard contract');
    expect(single?.description).toBe('Call the agency; ask for the night shift too.');
    expect(single?.startDate.toJSDate().toISOString()).toBe(due);
    expect(single?.isRecurring()).toBe(false);

    // The open occurrence is its own event; the series goes on from the next one, by RRULE.
    const occurrence = events.find((e) => e.uid.startsWith(`task-${weekly.id}`));
    expect(occurrence?.startDate.toJSDate().toISOString()).toBe('2026-11-30T09:00:00.000Z');
    const series = events.find((e) => e.uid.startsWith(`task-series-${weekly.seriesId}`));
    expect(series?.isRecurring()).toBe(true);
    const it = series?.iterator();
    const next = [it?.next(), it?.next(), it?.next()].map((d) => d?.toJSDate().toISOString());
    expect(next).toEqual(['2026-12-07T09:00:00.000Z', '2026-12-14T09:00:00.000Z', '2026-12-21T09:00:00.000Z']);

    // COUNT=3 with the first occurrence open: two remain after it.
    const drills = events.find((e) => e.uid.startsWith(`task-series-${counted.seriesId}`));
    const dit = drills?.iterator();
    const left: string[] = [];
    for (let d = dit?.next(); d && left.length < 10; d = dit?.next()) left.push(d.toJSDate().toISOString());
    expect(left).toEqual(['2026-12-28T09:00:00.000Z', '2027-01-28T09:00:00.000Z']);

    const status = (await t.app.inject({ url: '/api/v1/calendar/feed', headers: staff.headers })).json();
    expect(status).toMatchObject({ active: true, createdAt: TEST_START, lastUsedAt: TEST_START });
  });

  it('answers 404 for unknown, replaced and revoked tokens', async () => {
    const first = (await t.app.inject({ method: 'POST', url: '/api/v1/calendar/feed', headers: other.headers })).json();
    expect((await t.app.inject({ url: feedPath(first.url) })).statusCode).toBe(200);
    // Rotating: the old link stops working, the new one works.
    const second = (
      await t.app.inject({ method: 'POST', url: '/api/v1/calendar/feed', headers: other.headers })
    ).json();
    expect((await t.app.inject({ url: feedPath(first.url) })).statusCode).toBe(404);
    expect((await t.app.inject({ url: feedPath(second.url) })).statusCode).toBe(200);
    // Revoked: 404, and revoking again is a 404 too.
    expect(
      (await t.app.inject({ method: 'DELETE', url: '/api/v1/calendar/feed', headers: other.headers })).statusCode,
    ).toBe(204);
    const gone = await t.app.inject({ url: feedPath(second.url) });
    expect(gone.statusCode).toBe(404);
    expect(gone.headers['content-type']).toContain('application/problem+json');
    expect(
      (await t.app.inject({ method: 'DELETE', url: '/api/v1/calendar/feed', headers: other.headers })).statusCode,
    ).toBe(404);
    for (const bad of ['nope', 'ocf_', `ocf_${'x'.repeat(43)}`, `ocf_${'x'.repeat(150)}`]) {
      expect((await t.app.inject({ url: `/api/v1/calendar/feed/${bad}.ics` })).statusCode, bad).toBe(404);
    }
    // Without a session, managing the feed needs sign-in.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/calendar/feed' })).statusCode).toBe(401);
    // The trail has the creations and the revocation, never the token.
    const entries = await t.services.audit.list(systemCtx, { entityType: 'calendar_feed', limit: 50 });
    expect(entries.items.map((e) => e.action)).toContain('calendar.feed_revoke');
    expect(JSON.stringify(entries.items)).not.toContain(second.token);
  });
});
