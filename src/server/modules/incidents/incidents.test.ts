import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_START, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, signedInAs } from '../../../../test/factories.ts';
import { testEngines } from '../../../../test/test-db.ts';
import { systemCtx } from '../../lib/auth.ts';
import type { NotificationRequest } from '../../lib/ports.ts';
import { activeMinutes, median, percentile } from './incidents.metrics.ts';

type Signed = { user: { id: string; displayName?: string }; headers: { cookie: string } };

describe('incident metrics helpers', () => {
  it('computes minutes without paused time, median and p90', () => {
    const pauses: [string, string][] = [['2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z']];
    expect(activeMinutes('2026-01-01T00:00:00.000Z', '2026-01-01T03:00:00.000Z', pauses)).toBe(120);
    expect(activeMinutes('2026-01-01T00:00:00.000Z', '2026-01-01T00:30:00.000Z', pauses)).toBe(30);
    expect(activeMinutes('2026-01-01T00:00:00.000Z', null, pauses)).toBeNull();
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(median([5])).toBe(5);
    expect(median([])).toBeNull();
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  });
});

describe.each(testEngines())('incident categories on a fresh %s database', (engine) => {
  it('seeds the catalogue on the first create (no deadlock on the one SQLite connection)', async () => {
    const t = await buildTestApp(engine);
    try {
      const office = await makeOffice(t.services, { code: 'FRS' });
      const inc = await t.services.incidents.create(systemCtx, office.id, {
        title: 'First',
        category: 'cyber:malware',
      });
      expect(inc.reference).toMatch(/^FRS-\d{4}-001$/);
    } finally {
      await t.close();
    }
  });
});

describe.each(testEngines())('incidents API on %s', (engine) => {
  let t: TestApp;
  let officeId: string;
  let otherOfficeId: string;
  let officer: Signed;
  let officer2: Signed;
  let otherOfficer: Signed;
  let staff: Signed;
  let colleague: Signed;
  let head: Signed;
  let admin: Signed;
  let hq: Signed;
  const sent: NotificationRequest[] = [];

  beforeAll(async () => {
    // The clock moves by hours in these tests: sessions must outlive it.
    t = await buildTestApp(engine, { env: { SESSION_IDLE_MINUTES: '10080', SESSION_MAX_HOURS: '2160' } });
    const real = t.services.notifier.notify.bind(t.services.notifier);
    t.services.notifier.notify = async (ex, ctx, req) => {
      sent.push(req);
      await real(ex, ctx, req);
    };
    officeId = (await makeOffice(t.services, { code: 'INC' })).id;
    otherOfficeId = (await makeOffice(t.services, { code: 'INO' })).id;
    officer = await signedInAs(t, 'security_officer', ['INC']);
    officer2 = await signedInAs(t, 'security_officer', ['INC']);
    otherOfficer = await signedInAs(t, 'security_officer', ['INO']);
    staff = await signedInAs(t, 'staff', ['INC']);
    colleague = await signedInAs(t, 'staff', ['INC']);
    head = await signedInAs(t, 'head_of_office', ['INC']);
    admin = await signedInAs(t, 'admin');
    hq = await signedInAs(t, 'hq_security');
  });
  afterAll(() => t.close());

  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, who: Signed, payload?: object) =>
    t.app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });
  const create = (payload: object, who = officer, office = officeId) =>
    inject('POST', `/api/v1/offices/${office}/incidents`, who, payload);
  const get = (id: string, who = officer) => inject('GET', `/api/v1/incidents/${id}`, who);
  const patch = (id: string, payload: object, who = officer) =>
    inject('PATCH', `/api/v1/incidents/${id}`, who, payload);
  const move = (id: string, payload: object, who = officer) =>
    inject('POST', `/api/v1/incidents/${id}/transition`, who, payload);
  const list = (query: string, who = officer) => inject('GET', `/api/v1/incidents${query}`, who);
  const basic = { title: 'Phishing e-mail to finance', category: 'cyber:phishing', narrative: '**Clicked** a link' };
  const year = new Date(TEST_START).getUTCFullYear();

  it('seeds the bilingual category catalogue idempotently', async () => {
    const res = await inject('GET', `/api/v1/incident-categories?officeId=${officeId}`, staff);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { code: string; labelFr: string; sensitive: boolean; alwaysImmediate: boolean }[];
    expect(items.length).toBeGreaterThan(25);
    const codes = items.map((c) => c.code);
    for (const c of ['cyber:phishing', 'physical:intrusion', 'safety:medical', 'safety:kidnapping', 'physical:fire'])
      expect(codes).toContain(c);
    expect(items.find((c) => c.code === 'safety:sexual_violence')).toMatchObject({ sensitive: true });
    expect(items.find((c) => c.code === 'safety:kidnapping')).toMatchObject({ alwaysImmediate: true });
    expect(items.every((c) => c.labelFr.length > 0)).toBe(true);
    expect(await t.services.incidents.categories.ensureBuiltInCategories()).toEqual([]);
  });

  it('creates, reads and edits an incident with its reference, audit, search and 409 on a stale version', async () => {
    const res = await create({ ...basic, observables: [{ type: 'domain', value: 'evil.example' }], country: 'GE' });
    expect(res.statusCode, res.body).toBe(201);
    const inc = res.json();
    expect(inc).toMatchObject({
      officeId,
      reference: `INC-${year}-001`,
      status: 'reported',
      domain: 'cyber',
      category: 'cyber:phishing',
      determination: 'suspected',
      severity: null,
      narrative: '**Clicked** a link',
      reporterUserId: officer.user.id,
      sensitive: false,
      tlp: 'amber',
      observables: [{ type: 'domain', value: 'evil.example' }],
      reportedAt: TEST_START,
      version: 1,
      timeToAcknowledgeMinutes: null,
    });
    expect(inc.reporterName).toBeTruthy();
    expect(inc.allowedTransitions).toContain('triaged');
    expect(sent.some((n) => n.kind === 'incident.reported' && n.entityId === inc.id)).toBe(true);

    const edited = await patch(inc.id, { severity: 2, ownerUserId: officer2.user.id, version: 1 });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ severity: 2, ownerUserId: officer2.user.id, version: 2 });
    expect(edited.json().ownerName).toBeTruthy();
    expect(sent.some((n) => n.kind === 'incident.assigned' && n.recipients.includes(officer2.user.id))).toBe(true);
    const stale = await patch(inc.id, { title: 'Stale', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().currentVersion).toBe(2);

    const audit = await t.services.audit.list(systemCtx, { entityType: 'incident', entityId: inc.id, limit: 10 });
    expect(audit.items.map((e) => e.action).sort()).toEqual(['incident.create', 'incident.update']);

    const found = await inject('GET', '/api/v1/search?q=Phishing', officer);
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().items.some((i: { entityId: string }) => i.entityId === inc.id)).toBe(true);
  });

  it('refuses hostile and invalid input with problem documents', async () => {
    const cases: [object, number][] = [
      [{ ...basic, category: 'nope:nothing' }, 400],
      [{ ...basic, category: 'NOT A CODE' }, 400],
      [{ ...basic, title: '   ' }, 400],
      [{ ...basic, severity: 7 }, 400],
      [{ ...basic, latitude: 91, longitude: 0 }, 400],
      [{ ...basic, latitude: 41.7 }, 400],
      [{ ...basic, occurredAt: 'yesterday' }, 400],
      [{ ...basic, tlp: 'purple' }, 400],
      [{ ...basic, ownerUserId: staff.user.id }, 400],
      [{ ...basic, siteId: '00000000-0000-4000-8000-000000000000' }, 400],
      [{ ...basic, extra: 1 }, 400],
      [{ ...basic, observables: [{ type: 'ipv4', value: '' }] }, 400],
    ];
    for (const [payload, status] of cases) {
      const res = await create(payload);
      expect(res.statusCode, `${JSON.stringify(payload)} → ${res.body}`).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const notThere = await get('00000000-0000-4000-8000-000000000000');
    expect(notThere.statusCode).toBe(404);
    expect((await get('not-a-uuid')).statusCode).toBe(400);
    expect((await list('?sort=title')).statusCode).toBe(400);
    expect((await list('?cursor=garbage')).statusCode).toBe(400);
    expect((await list("?q=' OR 1=1 --")).statusCode).toBe(200);
  });

  it('allocates distinct references under concurrent creates', async () => {
    const office = await makeOffice(t.services, { code: 'CON' });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.services.incidents.create(systemCtx, office.id, { ...basic, title: `Concurrent ${i}` }),
      ),
    );
    const refs = results.map((r) => r.reference).sort();
    expect(new Set(refs).size).toBe(8);
    expect(refs).toEqual(Array.from({ length: 8 }, (_, i) => `CON-${year}-${String(i + 1).padStart(3, '0')}`));
  });

  it('enforces the workflow: every refused move is a 422; pauses do not count in the timers', async () => {
    const inc = (await create({ ...basic, title: 'Workflow' })).json();
    let v = inc.version;
    // Triage needs a severity.
    const noSeverity = await move(inc.id, { to: 'triaged', version: v });
    expect(noSeverity.statusCode).toBe(422);
    expect(noSeverity.json().detail).toMatch(/severity/);
    for (const to of ['investigating', 'contained', 'resolved', 'closed', 'reported']) {
      const res = await move(inc.id, { to, version: v });
      expect(res.statusCode, `reported → ${to}`).toBe(422);
      expect(res.json().detail).toContain('cannot go from reported');
    }
    v = (await patch(inc.id, { severity: 3, version: v })).json().version;
    t.clock.advance(30 * 60_000);
    let res = await move(inc.id, { to: 'triaged', version: v });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'triaged',
      acknowledgedAt: expect.any(String),
      ownerUserId: officer.user.id,
    });
    expect(res.json().timeToAcknowledgeMinutes).toBe(30);
    v = res.json().version;
    res = await move(inc.id, { to: 'investigating', version: v });
    v = res.json().version;
    // Paused for 2 hours awaiting an external party.
    res = await move(inc.id, { to: 'awaiting_external', version: v });
    expect(res.json()).toMatchObject({ status: 'awaiting_external', statusBeforePause: 'investigating' });
    v = res.json().version;
    t.clock.advance(2 * 3600_000);
    const wrongBack = await move(inc.id, { to: 'contained', version: v });
    expect(wrongBack.statusCode).toBe(422);
    res = await move(inc.id, { to: 'investigating', version: v });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'investigating', pausedSeconds: 7200, pausedSince: null });
    v = res.json().version;
    t.clock.advance(60 * 60_000);
    res = await move(inc.id, { to: 'contained', version: v });
    // 30 min + 1 h of work; the 2 h pause excluded.
    expect(res.json().timeToContainMinutes).toBe(90);
    v = res.json().version;
    res = await move(inc.id, { to: 'resolved', version: v });
    expect(res.json().resolvedAt).toBeTruthy();
    v = res.json().version;
    // Stale version → 409 even for a transition.
    expect((await move(inc.id, { to: 'closed', version: 1 })).statusCode).toBe(409);
    // Closing without summary, lessons or review → 422 naming what is missing.
    res = await move(inc.id, { to: 'closed', version: v });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].path).toBe('body.closingSummary');
    res = await move(inc.id, { to: 'closed', version: v, closingSummary: 'Blocked the domain.' });
    expect(res.json().errors[0].path).toBe('body.lessonsLearned');
    res = await move(inc.id, { to: 'closed', version: v, closingSummary: 'Blocked.', lessonsLearned: 'Train.' });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/review/);
  });

  it('closes only with four eyes: a reviewer other than the owner and the closer approves', async () => {
    const inc = (await create({ ...basic, title: 'Four eyes', severity: 2 })).json();
    let v = inc.version;
    for (const to of ['triaged', 'investigating', 'contained', 'resolved']) {
      const r = await move(inc.id, { to, version: v });
      expect(r.statusCode, r.body).toBe(200);
      v = r.json().version;
    }
    // The owner (officer, set at triage) may not review.
    let r = await inject('POST', `/api/v1/incidents/${inc.id}/review`, officer, {
      decision: 'approve',
      note: 'ok',
      version: v,
    });
    expect(r.statusCode).toBe(403);
    // Ask the head of office for the review (notified), who first sends it back.
    r = await patch(inc.id, { reviewerUserId: head.user.id, version: v });
    expect(r.statusCode, r.body).toBe(200);
    v = r.json().version;
    expect(sent.some((n) => n.kind === 'incident.review_requested' && n.recipients.includes(head.user.id))).toBe(true);
    r = await inject('POST', `/api/v1/incidents/${inc.id}/review`, head, {
      decision: 'reject',
      note: 'Lessons are thin',
      version: v,
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'resolved', reviewedAt: null, reviewNote: 'Lessons are thin' });
    v = r.json().version;
    const closing = { closingSummary: 'Domain blocked, passwords reset.', lessonsLearned: 'Report faster.' };
    expect((await move(inc.id, { to: 'closed', version: v, ...closing })).statusCode).toBe(422);
    r = await inject('POST', `/api/v1/incidents/${inc.id}/review`, head, {
      decision: 'approve',
      note: 'Good',
      version: v,
    });
    expect(r.statusCode, r.body).toBe(200);
    v = r.json().version;
    // A review of an unresolved incident is refused.
    const other = (await create({ ...basic, title: 'Not resolved' })).json();
    expect(
      (
        await inject('POST', `/api/v1/incidents/${other.id}/review`, head, {
          decision: 'approve',
          note: 'x',
          version: other.version,
        })
      ).statusCode,
    ).toBe(422);
    t.clock.advance(60_000);
    r = await move(inc.id, { to: 'closed', version: v, ...closing });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'closed', reviewerUserId: head.user.id, ...closing });
    expect(r.json().closedAt).toBeTruthy();
    expect(r.json().timeToCloseMinutes).toBeGreaterThan(0);
    expect(r.json().allowedTransitions).toEqual([]);
    // Terminal: nothing moves, nothing changes.
    expect((await move(inc.id, { to: 'investigating', version: r.json().version })).statusCode).toBe(422);
    expect((await patch(inc.id, { title: 'x', version: r.json().version })).statusCode).toBe(422);
  });

  it('rejects with a reason and marks duplicates of the same office only', async () => {
    const a = (await create({ ...basic, title: 'Original' })).json();
    const b = (await create({ ...basic, title: 'Same again' })).json();
    const foreign = (await create({ ...basic, title: 'Elsewhere' }, otherOfficer, otherOfficeId)).json();
    expect((await move(b.id, { to: 'duplicate', version: 1 })).statusCode).toBe(422);
    expect((await move(b.id, { to: 'duplicate', version: 1, duplicateOf: b.id })).statusCode).toBe(422);
    expect((await move(b.id, { to: 'duplicate', version: 1, duplicateOf: foreign.id })).statusCode).toBe(422);
    const dup = await move(b.id, { to: 'duplicate', version: 1, duplicateOf: a.id });
    expect(dup.statusCode, dup.body).toBe(200);
    expect(dup.json()).toMatchObject({ status: 'duplicate', duplicateOf: a.id });
    expect((await move(a.id, { to: 'rejected', version: 1 })).statusCode).toBe(422);
    const rej = await move(a.id, { to: 'rejected', version: 1, reason: 'Test e-mail from IT' });
    expect(rej.json().status).toBe('rejected');
  });

  it('takes quick reports from staff idempotently and tells the officers; staff see only their own', async () => {
    const clientKey = '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed';
    const body = {
      clientKey,
      what: 'Someone followed me from the office to the car park',
      where: 'Car park behind the office',
      when: '2026-11-28T08:40:00+04:00',
      anyoneHurt: false,
      helpNeeded: 'Escort tonight',
      latitude: 41.7151,
      longitude: 44.8271,
    };
    const url = `/api/v1/offices/${officeId}/incidents/quick-report`;
    const first = await inject('POST', url, staff, body);
    expect(first.statusCode, first.body).toBe(201);
    const inc = first.json();
    expect(inc).toMatchObject({
      reportChannel: 'quick_report',
      reporterUserId: staff.user.id,
      occurredAt: '2026-11-28T04:40:00.000Z',
      locationText: 'Car park behind the office',
      anyoneHurt: false,
      helpNeeded: 'Escort tonight',
      latitude: 41.7151,
      status: 'reported',
      allowedTransitions: [],
    });
    expect(inc.reference).toMatch(/^INC-\d{4}-\d{3}$/);
    expect(
      sent.some(
        (n) => n.kind === 'incident.reported' && n.entityId === inc.id && n.recipients.includes(officer.user.id),
      ),
    ).toBe(true);
    const again = await inject('POST', url, staff, body);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(inc.id);
    // Half a geo point, or no key: refused.
    expect((await inject('POST', url, staff, { ...body, clientKey: undefined })).statusCode).toBe(400);
    expect(
      (await inject('POST', url, staff, { ...body, clientKey: crypto.randomUUID(), longitude: undefined })).statusCode,
    ).toBe(400);
    // Not in the office: 404.
    expect(
      (await inject('POST', `/api/v1/offices/${otherOfficeId}/incidents/quick-report`, staff, body)).statusCode,
    ).toBe(404);

    // Staff: their own report, not the officer's nor a colleague's.
    expect((await get(inc.id, staff)).statusCode).toBe(200);
    expect((await get(inc.id, colleague)).statusCode).toBe(404);
    const officerOwn = (await create({ ...basic, title: 'Officer only' })).json();
    expect((await get(officerOwn.id, staff)).statusCode).toBe(404);
    const mine = (await list('?limit=200', staff)).json();
    expect(mine.items.map((i: { id: string }) => i.id)).toEqual([inc.id]);
    expect((await list('?limit=200', colleague)).json().items).toEqual([]);
    // Staff cannot edit, move or read the restricted parts.
    expect((await patch(inc.id, { title: 'x', version: 1 }, staff)).statusCode).toBe(403);
    expect((await move(inc.id, { to: 'triaged', version: 1 }, staff)).statusCode).toBe(403);
    expect((await inject('GET', `/api/v1/incidents/${inc.id}/persons`, staff)).statusCode).toBe(403);
    // The officer of another office does not see it; the officer of the office does, in the list.
    expect((await get(inc.id, otherOfficer)).statusCode).toBe(404);
    const officersList = (await list(`?officeId=${officeId}&limit=200`)).json();
    expect(officersList.items.some((i: { id: string }) => i.id === inc.id)).toBe(true);
  });

  it('hides a sensitive incident from everyone not named — admins and HQ included — in get, list and search', async () => {
    const res = await create({
      title: 'Zebracorn assault report',
      category: 'safety:sexual_violence',
      narrative: 'Restricted details',
      reporterUserId: staff.user.id,
    });
    expect(res.statusCode, res.body).toBe(201);
    const inc = res.json();
    expect(inc.sensitive).toBe(true);
    expect(inc.domain).toBe('personnel_safety');
    // Notifications never carry the title of a sensitive incident.
    const notes = sent.filter((n) => n.entityId === inc.id);
    expect(notes.length).toBeGreaterThan(0);
    expect(JSON.stringify(notes)).not.toContain('Zebracorn');
    // The templates word it in the reader's language instead (a flag, not a bilingual literal).
    expect(notes.every((n) => n.params?.title === null && n.params?.sensitive === 1)).toBe(true);
    // The category keeps it sensitive.
    expect((await patch(inc.id, { sensitive: false, version: inc.version })).statusCode).toBe(422);

    for (const who of [admin, hq, officer2, head, colleague]) {
      expect((await get(inc.id, who)).statusCode, 'get').toBe(404);
      const l = (await list('?limit=200', who)).json();
      expect(l.items.some((i: { id: string }) => i.id === inc.id)).toBe(false);
      const s = (await inject('GET', '/api/v1/search?q=Zebracorn', who)).json();
      expect(s.items ?? []).toEqual([]);
    }
    // The reporter (staff) sees it; so does the officer who logged it (named automatically).
    expect((await get(inc.id, staff)).statusCode).toBe(200);
    expect((await get(inc.id, officer)).statusCode).toBe(200);
    // Someone not named cannot name themselves.
    const put = await inject('PUT', `/api/v1/incidents/${inc.id}/access`, admin, { userIds: [], version: 1 });
    expect(put.statusCode).toBe(404);
    const named = await inject('PUT', `/api/v1/incidents/${inc.id}/access`, officer, {
      userIds: [officer.user.id, officer2.user.id],
      version: 1,
    });
    expect(named.statusCode, named.body).toBe(200);
    expect(
      named
        .json()
        .users.map((u: { userId: string }) => u.userId)
        .sort(),
    ).toEqual([officer.user.id, officer2.user.id].sort());
    expect((await get(inc.id, officer2)).statusCode).toBe(200);
    const s2 = (await inject('GET', '/api/v1/search?q=Zebracorn', officer2)).json();
    expect(s2.items.some((i: { entityId: string }) => i.entityId === inc.id)).toBe(true);
    expect((await get(inc.id, admin)).statusCode).toBe(404);
    // Revoked: gone again.
    const revoked = await inject('PUT', `/api/v1/incidents/${inc.id}/access`, officer, {
      userIds: [officer.user.id],
      version: 2,
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect((await get(inc.id, officer2)).statusCode).toBe(404);
    const audit = await t.services.audit.list(systemCtx, { entityType: 'incident', entityId: inc.id, limit: 20 });
    const actions = audit.items.map((e) => e.action);
    expect(actions).toContain('incident.access_grant');
    expect(actions).toContain('incident.access_revoke');
    expect(JSON.stringify(audit.items)).not.toContain('Zebracorn');
  });

  it('keeps involved persons restricted to editors who see the incident, with versions and audit', async () => {
    const inc = (await create({ ...basic, title: 'Persons' })).json();
    const url = `/api/v1/incidents/${inc.id}/persons`;
    const add = await inject('POST', url, officer, { role: 'witness', name: 'Nino B.', details: 'Saw the car' });
    expect(add.statusCode, add.body).toBe(201);
    const p = add.json();
    expect((await inject('GET', url, officer)).json().items).toHaveLength(1);
    expect((await inject('GET', url, head)).statusCode).toBe(403);
    expect((await inject('GET', url, otherOfficer)).statusCode).toBe(404);
    const upd = await inject('PATCH', `/api/v1/incident-persons/${p.id}`, officer, { role: 'victim', version: 1 });
    expect(upd.json()).toMatchObject({ role: 'victim', version: 2 });
    expect(
      (await inject('PATCH', `/api/v1/incident-persons/${p.id}`, officer, { name: 'x', version: 1 })).statusCode,
    ).toBe(409);
    expect((await inject('DELETE', `/api/v1/incident-persons/${p.id}?version=1`, officer)).statusCode).toBe(409);
    expect((await inject('DELETE', `/api/v1/incident-persons/${p.id}?version=2`, officer)).statusCode).toBe(204);
    // Never in search.
    const s = (await inject('GET', '/api/v1/search?q=Nino', officer)).json();
    expect(s.items ?? []).toEqual([]);
  });

  it('filters, sorts and pages the list', async () => {
    const office = await makeOffice(t.services, { code: 'FLT' });
    const o = await signedInAs(t, 'security_officer', ['FLT']);
    const mk = (title: string, extra: object) =>
      t.services.incidents.create(systemCtx, office.id, { ...basic, title, ...extra });
    await mk('Lost badge at gate', { category: 'physical:lost_badge_key', severity: 1 });
    t.clock.advance(1000);
    await mk('Server ransomware', { category: 'cyber:ransomware', severity: 4, latitude: 1, longitude: 2 });
    t.clock.advance(1000);
    await mk('Car accident', { category: 'safety:road_accident', severity: 2 });
    const q = async (qs: string) =>
      ((await list(`?officeId=${office.id}&${qs}`, o)).json().items as { title: string }[]).map((i) => i.title);
    expect(await q('')).toEqual(['Car accident', 'Server ransomware', 'Lost badge at gate']);
    expect(await q('sort=reportedAt')).toEqual(['Lost badge at gate', 'Server ransomware', 'Car accident']);
    expect(await q('sort=-severity')).toEqual(['Server ransomware', 'Car accident', 'Lost badge at gate']);
    expect(await q('domain=cyber')).toEqual(['Server ransomware']);
    expect(await q('category=safety:road_accident')).toEqual(['Car accident']);
    expect(await q('severity=1')).toEqual(['Lost badge at gate']);
    expect(await q('q=ransom')).toEqual(['Server ransomware']);
    expect(await q('q=FLT-')).toHaveLength(3);
    expect(await q('hasLocation=true')).toEqual(['Server ransomware']);
    expect(await q('status=open')).toHaveLength(3);
    expect(await q('status=closed')).toEqual([]);
    expect(await q(`reportedFrom=2999-01-01`)).toEqual([]);
    const p1 = (await list(`?officeId=${office.id}&limit=2&sort=-severity`, o)).json();
    expect(p1.items).toHaveLength(2);
    const p2 = (await list(`?officeId=${office.id}&limit=2&sort=-severity&cursor=${p1.nextCursor}`, o)).json();
    expect(p2.items.map((i: { title: string }) => i.title)).toEqual(['Lost badge at gate']);
    expect(p2.nextCursor).toBeNull();
    // Another office's filter is a 404 for an officer who does not see it.
    expect((await list(`?officeId=${officeId}`, o)).statusCode).toBe(404);
  });

  it('lists summaries (no narrative, closing texts or JSON lists), sensitive ones still only for those named', async () => {
    const office = await makeOffice(t.services, { code: 'SUM' });
    const o = await signedInAs(t, 'security_officer', ['SUM']);
    const o2 = await signedInAs(t, 'security_officer', ['SUM']);
    const s = await signedInAs(t, 'staff', ['SUM']);
    const full = await create(
      {
        ...basic,
        title: 'Summary shape',
        severity: 3,
        latitude: 41.7,
        longitude: 44.8,
        ownerUserId: o.user.id,
        observables: [{ type: 'domain', value: 'evil.example' }],
        affectedAssets: [{ name: 'Finance laptop' }],
        impacts: { dataRecords: 12 },
      },
      o,
      office.id,
    );
    expect(full.statusCode, full.body).toBe(201);
    const inc = full.json();
    const closing = await move(
      (await create({ ...basic, title: 'Summary closed' }, o, office.id)).json().id,
      { to: 'rejected', version: 1, reason: 'Not an incident' },
      o,
    );
    expect(closing.statusCode, closing.body).toBe(200);
    const sensitive = (
      await create(
        { title: 'Summary sensitive', category: 'safety:sexual_violence', narrative: 'Restricted' },
        o,
        office.id,
      )
    ).json();
    expect(sensitive.sensitive).toBe(true);

    const res = await list(`?officeId=${office.id}&limit=50`, o);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Record<string, unknown>[];
    expect(items.map((i) => i.title)).toEqual(['Summary sensitive', 'Summary closed', 'Summary shape']);
    const item = items.find((i) => i.id === inc.id);
    expect(Object.keys(item ?? {}).sort()).toEqual(
      [
        'id',
        'officeId',
        'reference',
        'title',
        'domain',
        'category',
        'severity',
        'status',
        'sensitive',
        'occurredAt',
        'reportedAt',
        'siteId',
        'latitude',
        'longitude',
        'ownerUserId',
        'updatedAt',
        'version',
      ].sort(),
    );
    for (const i of items)
      for (const key of ['narrative', 'lessonsLearned', 'closingSummary', 'observables', 'affectedAssets', 'impacts'])
        expect(i, key).not.toHaveProperty(key);
    expect(item).toEqual({
      id: inc.id,
      officeId: office.id,
      reference: inc.reference,
      title: 'Summary shape',
      domain: 'cyber',
      category: 'cyber:phishing',
      severity: 3,
      status: 'reported',
      sensitive: false,
      occurredAt: null,
      reportedAt: inc.reportedAt,
      siteId: null,
      latitude: 41.7,
      longitude: 44.8,
      ownerUserId: o.user.id,
      updatedAt: inc.updatedAt,
      version: inc.version,
    });
    expect(items.find((i) => i.id === sensitive.id)).toMatchObject({ sensitive: true });
    // The record page still reads the whole incident.
    const one = (await get(inc.id, o)).json();
    expect(one).toMatchObject({
      narrative: '**Clicked** a link',
      observables: [{ type: 'domain', value: 'evil.example' }],
      impacts: { dataRecords: 12 },
    });
    // The sensitive one stays out of the lists of those not named: staff, and an officer of the same office.
    for (const who of [s, o2]) {
      const l = (await list(`?limit=200`, who)).json().items as { id: string }[];
      expect(l.some((i) => i.id === sensitive.id)).toBe(false);
    }
    expect(((await list(`?officeId=${office.id}&limit=50`, o2)).json().items as unknown[]).length).toBe(2);
  });

  it('manages office categories (incident.manage) and uses them', async () => {
    const res = await inject('POST', '/api/v1/incident-categories', officer, {
      officeId,
      code: 'physical:checkpoint_delay',
      label: 'Checkpoint delay',
      labelFr: 'Retard au point de contrôle',
      domain: 'physical',
      defaultSeverity: 1,
    });
    expect(res.statusCode, res.body).toBe(201);
    const cat = res.json();
    expect((await inject('POST', '/api/v1/incident-categories', officer, { ...cat, id: undefined })).statusCode).toBe(
      400,
    );
    // Global catalogue: admin only.
    expect(
      (
        await inject('POST', '/api/v1/incident-categories', officer, {
          code: 'x:y',
          label: 'X',
          labelFr: 'X',
          domain: 'mixed',
        })
      ).statusCode,
    ).toBe(403);
    expect((await inject('POST', '/api/v1/incident-categories', staff, {})).statusCode).toBe(403);
    // Usable in its office, not in another.
    expect((await create({ ...basic, category: 'physical:checkpoint_delay' })).statusCode).toBe(201);
    expect(
      (await create({ ...basic, category: 'physical:checkpoint_delay' }, otherOfficer, otherOfficeId)).statusCode,
    ).toBe(400);
    // Deactivated: no longer accepted.
    const off = await inject('PATCH', `/api/v1/incident-categories/${cat.id}`, officer, { active: false, version: 1 });
    expect(off.json()).toMatchObject({ active: false, version: 2 });
    expect((await create({ ...basic, category: 'physical:checkpoint_delay' })).statusCode).toBe(400);
    expect(
      (await inject('PATCH', `/api/v1/incident-categories/${cat.id}`, officer, { active: true, version: 1 }))
        .statusCode,
    ).toBe(409);
    expect(
      (await inject('PATCH', `/api/v1/incident-categories/${cat.id}`, otherOfficer, { active: true, version: 2 }))
        .statusCode,
    ).toBe(404);
  });

  it('logs a phone report for someone without an account', async () => {
    const res = await create({
      ...basic,
      title: 'Caller reports a demonstration',
      category: 'physical:demonstration',
      reportChannel: 'phone',
      reporterName: 'Guard at gate 2',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ reportChannel: 'phone', reporterUserId: null, reporterName: 'Guard at gate 2' });
  });

  it('calls the listeners in the transaction, and a throwing listener rolls the change back', async () => {
    const seen: string[] = [];
    let fail = false;
    t.services.incidents.onChange(async (_ex, _ctx, { before, after }) => {
      seen.push(`${before?.status ?? 'new'}→${after.status}`);
      if (fail) throw new Error('listener failed');
    });
    const inc = await t.services.incidents.create(systemCtx, officeId, { ...basic, title: 'Listened', severity: 4 });
    await t.services.incidents.transition(systemCtx, inc.id, { to: 'triaged', version: 1 });
    expect(seen).toEqual(['new→reported', 'reported→triaged']);
    fail = true;
    await expect(
      t.services.incidents.transition(systemCtx, inc.id, { to: 'investigating', version: 2 }),
    ).rejects.toThrow();
    fail = false;
    expect((await t.services.incidents.get(systemCtx, inc.id)).status).toBe('triaged');
  });

  it('computes the metrics by category, severity and month', async () => {
    const office = await makeOffice(t.services, { code: 'MET' });
    const o = await signedInAs(t, 'security_officer', ['MET']);
    for (const minutes of [10, 20, 30]) {
      const inc = await t.services.incidents.create(systemCtx, office.id, { ...basic, severity: 3 });
      t.clock.advance(minutes * 60_000);
      await t.services.incidents.transition(systemCtx, inc.id, { to: 'triaged', version: 1 });
    }
    const res = await inject('GET', `/api/v1/incident-metrics?officeId=${office.id}`, o);
    expect(res.statusCode, res.body).toBe(200);
    const m = res.json();
    expect(m.overall).toMatchObject({ incidents: 3, acknowledge: { count: 3, medianMinutes: 20, p90Minutes: 30 } });
    expect(m.byCategory.map((g: { key: string }) => g.key)).toEqual(['cyber:phishing']);
    expect(m.bySeverity.map((g: { key: string }) => g.key)).toEqual(['3']);
    expect(m.byMonth[0].key).toMatch(/^\d{4}-\d{2}$/);
    expect(m.byStatus).toEqual([{ status: 'triaged', count: 3 }]);
    expect((await inject('GET', '/api/v1/incident-metrics?from=2026-12-01&to=2026-01-01', o)).statusCode).toBe(400);
    expect((await inject('GET', `/api/v1/incident-metrics?officeId=${office.id}`, staff)).statusCode).toBe(403);
    expect((await inject('GET', `/api/v1/incident-metrics?officeId=${office.id}`, otherOfficer)).statusCode).toBe(404);
  });
});
