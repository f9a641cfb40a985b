import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, makeUser, signIn } from '../../../../test/factories.ts';
import {
  type HookReceiver,
  type SmtpSink,
  startHookReceiver,
  startSmtpSink,
} from '../../../../test/notification-sinks.ts';
import { testEngines } from '../../../../test/test-db.ts';
import { NOTIFICATION_KIND_LIST } from '../../../shared/notifications/notifications.schemas.ts';
import type { Actor, Ctx } from '../../lib/auth.ts';
import { NOTIFICATION_KINDS, type NotificationRequest } from '../../lib/ports.ts';
import { hasTemplate, LANGUAGES, pickLanguage } from './notifications.templates.ts';

const MIN = 60_000;

describe.each(testEngines())('notifications on %s', (engine) => {
  let t: TestApp;
  let smtp: SmtpSink;
  let hooks: HookReceiver;
  let admin: { id: string; email: string; headers: { cookie: string } };
  let alice: { id: string; email: string; headers: { cookie: string } };
  let bob: { id: string; email: string; headers: { cookie: string } };
  let actor: { id: string; displayName: string };
  let officeId: string;

  const ctxOf = (u: { id: string; displayName: string }): Ctx => ({
    actor: { userId: u.id, displayName: u.displayName } as Actor,
    requestId: null,
  });

  async function notify(req: Partial<NotificationRequest> & { recipients: string[] }, by = actor) {
    await t.db.database.db.transaction().execute((trx) =>
      t.services.notifier.notify(trx, ctxOf(by), {
        kind: 'task.assigned',
        officeId,
        entityType: 'task',
        entityId: '0190a0b0-0000-7000-8000-000000000001',
        params: { title: 'Check the generator', dueAt: '2026-12-01' },
        ...req,
      }),
    );
  }

  async function outbox() {
    return t.db.database.db.selectFrom('notification_outbox').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  beforeAll(async () => {
    t = await buildTestApp(engine, {
      env: { OUTBOUND_ALLOW: '127.0.0.1', OUTBOX_RETRY_BASE_SECONDS: '60', OUTBOX_MAX_ATTEMPTS: '4' },
    });
    smtp = await startSmtpSink();
    hooks = await startHookReceiver();
    officeId = (await makeOffice(t.services, { code: 'NTF', defaultLanguage: 'fr' })).id;
    const mk = async (role: 'admin' | 'staff', codes: string[]) => {
      const u = await makeUser(t.services, role, codes);
      return { id: u.id, email: u.email, displayName: u.displayName, headers: await signIn(t, u.email) };
    };
    admin = await mk('admin', []);
    alice = await mk('staff', ['NTF']);
    bob = await mk('staff', ['NTF']);
    const a = await mk('staff', ['NTF']);
    actor = { id: a.id, displayName: 'Nino <b>Beridze</b>' };
    // Alice reads English; Bob has no language of his own: his office's (French) applies.
    await t.services.users.accounts.setLanguage(alice.id, 'en');
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/smtp',
      headers: admin.headers,
      payload: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none',
        username: 'mailer',
        password: 'smtp pass phrase',
        fromAddress: 'outpost@example.org',
        version: 0,
      },
    });
    expect(put.statusCode, put.body).toBe(200);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    await hooks.close();
  });

  it('the kinds the contracts accept are the kinds of the port, each with words in English and French', () => {
    expect([...NOTIFICATION_KIND_LIST]).toEqual([...NOTIFICATION_KINDS]);
    for (const kind of NOTIFICATION_KINDS)
      for (const lang of LANGUAGES) expect(hasTemplate(kind, lang), `${kind} ${lang}`).toBe(true);
    expect(pickLanguage(null, 'fr-CH')).toBe('fr');
    expect(pickLanguage('de', null)).toBe('en');
  });

  it('notify() writes inbox entries for the recipients but never for the actor, and e-mails in the outbox', async () => {
    const before = (await outbox()).length;
    await notify({ recipients: [alice.id, bob.id, actor.id, alice.id] });
    const rows = await t.db.database.db
      .selectFrom('notifications')
      .selectAll()
      .where('kind', '=', 'task.assigned')
      .execute();
    expect(rows.map((r) => r.user_id).sort()).toEqual([alice.id, bob.id].sort());
    const queued = (await outbox()).slice(before);
    expect(queued.map((o) => [o.channel, o.user_id, o.status])).toEqual(
      expect.arrayContaining([
        ['email', alice.id, 'pending'],
        ['email', bob.id, 'pending'],
      ]),
    );
    expect(queued).toHaveLength(2);
  });

  it('a notification exists exactly when the change does: a rolled-back transaction leaves nothing', async () => {
    const before = (await outbox()).length;
    await expect(
      t.db.database.db.transaction().execute(async (trx) => {
        await t.services.notifier.notify(trx, ctxOf(actor), {
          recipients: [alice.id],
          kind: 'task.closed',
          officeId,
          entityType: 'task',
          entityId: 'x',
          params: { title: 'Rolled back' },
        });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(await outbox()).toHaveLength(before);
    const n = await t.db.database.db
      .selectFrom('notifications')
      .selectAll()
      .where('kind', '=', 'task.closed')
      .execute();
    expect(n).toHaveLength(0);
  });

  it('the outbox worker delivers each e-mail once, in the reader’s language, HTML and text, parameters escaped', async () => {
    await notify({
      recipients: [alice.id, bob.id],
      params: { title: '<script>alert(1)</script> & Co', dueAt: '2026-12-01' },
    });
    const sent = smtp.mails.length;
    const r = await t.services.notifications.deliverOutbox(t.clock.now());
    expect(r.delivered).toBeGreaterThanOrEqual(2);
    const mails = (await smtp.waitFor(sent + 4)).slice(sent);
    const toAlice = mails.filter((m) => m.to.includes(alice.email));
    const toBob = mails.filter((m) => m.to.includes(bob.email));
    expect(toAlice).toHaveLength(2);
    expect(toBob).toHaveLength(2);
    const escaped = toAlice.find((m) => m.subject.includes('<script>')) ?? expect.fail('no e-mail with the title');
    expect(escaped.subject).toBe('Task assigned to you: <script>alert(1)</script> & Co');
    expect(escaped.text).toContain('Nino <b>Beridze</b> assigned you the task “<script>alert(1)</script> & Co”');
    expect(escaped.text).toContain('http://127.0.0.1:3000/tasks/');
    expect(escaped.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(escaped.html).toContain('Nino &lt;b&gt;Beridze&lt;/b&gt;');
    expect(escaped.html).not.toContain('<script>');
    expect(escaped.html).not.toContain('<b>');
    expect(escaped.headers['content-type']).toContain('multipart/alternative');
    const french = toBob.find((m) => m.subject.includes('Check the generator')) ?? expect.fail('no French e-mail');
    expect(french.subject).toBe('Tâche qui vous est confiée : Check the generator');
    expect(french.text).toContain('vous a confié la tâche « Check the generator »');
    expect(french.html).toContain('lang="fr"');
    expect(french.from).toBe('outpost@example.org');
    expect(smtp.auths).toContain('mailer:smtp pass phrase'); // the sealed password, opened to sign in
    // Delivered means delivered: the next run sends nothing again.
    const again = await t.services.notifications.deliverOutbox(t.clock.now());
    expect(again.delivered).toBe(0);
    await new Promise((res) => setTimeout(res, 100));
    expect(smtp.mails).toHaveLength(sent + 4);
    expect((await outbox()).every((o) => o.status === 'delivered')).toBe(true);
  });

  it('two workers racing over the same outbox send each message once (the lease)', async () => {
    await notify({ recipients: [alice.id, bob.id], kind: 'task.overdue', params: { title: 'Race', dueAt: 'x' } });
    await notify({ recipients: [alice.id, bob.id], kind: 'task.overdue', params: { title: 'Race 2', dueAt: 'x' } });
    const sent = smtp.mails.length;
    const [a, b] = await Promise.all([
      t.services.notifications.deliverOutbox(t.clock.now()),
      t.services.notifications.deliverOutbox(t.clock.now()),
    ]);
    expect(a.delivered + b.delivered).toBe(4);
    await smtp.waitFor(sent + 4);
    await new Promise((res) => setTimeout(res, 200));
    expect(smtp.mails).toHaveLength(sent + 4);
  });

  it('the inbox: newest first, unread filter and count, mark one and all read; nobody reads another’s', async () => {
    const h = bob.headers;
    const count = async () =>
      (await t.app.inject({ method: 'GET', url: '/api/v1/notifications/unread-count', headers: h })).json().count;
    const unread = await count();
    expect(unread).toBe(4);
    const page1 = await t.app.inject({ method: 'GET', url: '/api/v1/notifications?limit=2', headers: h });
    expect(page1.statusCode).toBe(200);
    const p1 = page1.json();
    expect(p1.items).toHaveLength(2);
    expect(p1.items[0]).toMatchObject({ entityType: 'task', readAt: null, link: expect.stringMatching(/^\/tasks\//) });
    expect(p1.items[0].title).toMatch(/^Tâche/);
    const page2 = await t.app.inject({
      method: 'GET',
      url: `/api/v1/notifications?limit=2&cursor=${p1.nextCursor}`,
      headers: h,
    });
    const ids = [...p1.items, ...page2.json().items].map((i: { id: string }) => i.id);
    expect(new Set(ids).size).toBe(4);
    const read = await t.app.inject({ method: 'POST', url: `/api/v1/notifications/${ids[0]}/read`, headers: h });
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).not.toBeNull();
    expect(await count()).toBe(unread - 1);
    const onlyUnread = await t.app.inject({
      method: 'GET',
      url: '/api/v1/notifications?unread=true&limit=200',
      headers: h,
    });
    expect(onlyUnread.json().items.map((i: { id: string }) => i.id)).not.toContain(ids[0]);
    // Another user's notification does not exist for Alice.
    const theirs = await t.app.inject({
      method: 'POST',
      url: `/api/v1/notifications/${ids[1]}/read`,
      headers: alice.headers,
    });
    expect(theirs.statusCode).toBe(404);
    const all = await t.app.inject({ method: 'POST', url: '/api/v1/notifications/read-all', headers: h });
    expect(all.json().marked).toBe(unread - 1);
    expect(await count()).toBe(0);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/notifications?unread=maybe', headers: h });
    expect(bad.statusCode).toBe(400);
  });

  it('preferences: e-mail per kind off, stale version refused, digest instead of individual e-mails', async () => {
    const h = alice.headers;
    const get = await t.app.inject({ method: 'GET', url: '/api/v1/notifications/preferences', headers: h });
    expect(get.json()).toMatchObject({ digest: false, version: 1, email: { 'task.assigned': true } });
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/notifications/preferences',
      headers: h,
      payload: { email: { 'task.comment': false }, version: 1 },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ version: 2, email: { 'task.comment': false, 'task.assigned': true } });
    const stale = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/notifications/preferences',
      headers: h,
      payload: { digest: true, version: 1 },
    });
    expect(stale.statusCode).toBe(409);
    const unknownKind = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/notifications/preferences',
      headers: h,
      payload: { email: { 'no.such': false }, version: 2 },
    });
    expect(unknownKind.statusCode).toBe(400);

    const before = (await outbox()).length;
    await notify({ recipients: [alice.id], kind: 'task.comment', params: { title: 'T', comment: 'hello' } });
    expect(await outbox()).toHaveLength(before); // in the inbox only

    const digestOn = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/notifications/preferences',
      headers: h,
      payload: { digest: true, version: 2 },
    });
    expect(digestOn.json()).toMatchObject({ digest: true, version: 3 });
    t.clock.advance(MIN);
    await notify({ recipients: [alice.id], kind: 'task.due_soon', params: { title: 'Radio check', dueAt: 'Friday' } });
    await notify({ recipients: [alice.id], kind: 'task.assigned', params: { title: 'Fire drill', dueAt: 'Monday' } });
    expect(await outbox()).toHaveLength(before); // no individual e-mails
    await t.services.notifications.deliverOutbox(t.clock.now());
    const sent = smtp.mails.length;
    t.clock.advance(60 * MIN);
    const digest = await t.services.notifications.runDigest(t.clock.now());
    expect(digest.sent).toBe(1);
    await t.services.notifications.deliverOutbox(t.clock.now());
    const [mail] = (await smtp.waitFor(sent + 1)).slice(sent);
    expect(mail?.to).toEqual([alice.email]);
    expect(mail?.subject).toMatch(/^Outpost: \d+ unread notifications$/);
    expect(mail?.text).toContain('Task due soon: Radio check');
    expect(mail?.text).toContain('Task assigned to you: Fire drill');
    expect(mail?.text).not.toContain('hello'); // e-mail for comments is off
    expect(mail?.html).toContain('Radio check');
    // Once a day: nothing new since, nothing sent.
    expect((await t.services.notifications.runDigest(t.clock.now())).sent).toBe(0);
  });

  it('SMTP settings: the password is stored sealed and never returned; audited without it', async () => {
    const get = await t.app.inject({ method: 'GET', url: '/api/v1/admin/smtp', headers: admin.headers });
    expect(get.statusCode).toBe(200);
    const s = get.json();
    expect(s).toMatchObject({ configured: true, host: '127.0.0.1', passwordSet: true, security: 'none' });
    expect(JSON.stringify(s)).not.toContain('smtp pass phrase');
    const row = await t.db.database.db.selectFrom('smtp_settings').selectAll().executeTakeFirstOrThrow();
    expect(row.password).not.toContain('smtp pass phrase');
    expect(row.password?.startsWith('v1.')).toBe(true);
    // Omitting the password keeps it; a stale version is refused.
    const keep = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/smtp',
      headers: admin.headers,
      payload: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none',
        fromAddress: 'ops@example.org',
        version: s.version,
      },
    });
    expect(keep.json()).toMatchObject({ passwordSet: true, fromAddress: 'ops@example.org', version: s.version + 1 });
    const stale = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/smtp',
      headers: admin.headers,
      payload: { host: 'x', port: 25, security: 'none', fromAddress: 'ops@example.org', version: s.version },
    });
    expect(stale.statusCode).toBe(409);
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/smtp',
      headers: admin.headers,
      payload: { host: 'x', port: 99999, security: 'ssl', fromAddress: 'nope', version: 2 },
    });
    expect(bad.statusCode).toBe(400);
    const audit = await t.db.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'smtp.update')
      .execute();
    expect(audit.length).toBe(2);
    expect(JSON.stringify(audit)).not.toContain('smtp pass phrase');
    const staff = await t.app.inject({ method: 'GET', url: '/api/v1/admin/smtp', headers: alice.headers });
    expect(staff.statusCode).toBe(403);
  });

  it('"send test e-mail" reaches me now', async () => {
    const sent = smtp.mails.length;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/admin/smtp/test', headers: admin.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ delivered: true, error: null });
    const [mail] = (await smtp.waitFor(sent + 1)).slice(sent);
    expect(mail?.to).toEqual([admin.email]);
    expect(mail?.subject).toBe('Outpost test message');
    expect(mail?.from).toBe('ops@example.org');
  });

  it('SMTP down: the action succeeds, the message stays queued with the error, and goes out once SMTP is back', async () => {
    const port = smtp.port;
    await smtp.close();
    await notify({ recipients: [bob.id], kind: 'task.closed', params: { title: 'Generator serviced' } });
    const test = await t.app.inject({ method: 'POST', url: '/api/v1/admin/smtp/test', headers: admin.headers });
    expect(test.statusCode).toBe(200); // the action itself never fails
    expect(test.json()).toMatchObject({ delivered: false, error: expect.stringContaining('ECONNREFUSED') });
    const r = await t.services.notifications.deliverOutbox(t.clock.now());
    expect(r.retried).toBe(1);
    const pending = (await outbox()).filter((o) => o.status === 'pending');
    expect(pending).toHaveLength(2);
    for (const p of pending) {
      expect(p.attempts).toBe(1);
      expect(p.last_error).toContain('ECONNREFUSED');
      expect(new Date(p.next_attempt_at).getTime()).toBe(t.clock.now().getTime() + MIN);
    }
    // Not due yet: nothing tried.
    expect((await t.services.notifications.deliverOutbox(t.clock.now())).retried).toBe(0);
    smtp = await startSmtpSink(port);
    t.clock.advance(MIN);
    const back = await t.services.notifications.deliverOutbox(t.clock.now());
    expect(back.delivered).toBe(2);
    const mails = await smtp.waitFor(2);
    expect(mails.map((m) => m.subject).sort()).toEqual(['Outpost test message', 'Tâche clôturée : Generator serviced']);
    const inbox = await t.app.inject({ method: 'GET', url: '/api/v1/notifications?unread=true', headers: bob.headers });
    expect(inbox.json().items[0].title).toBe('Tâche clôturée : Generator serviced');
  });

  it('webhooks: URL guarded, secret shown once, signed JSON body, only subscribed kinds', async () => {
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/webhooks',
      headers: admin.headers,
      payload: { name: 'Metadata', url: 'http://169.254.169.254/latest', kinds: ['task.assigned'] },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toContain('169.254.169.254');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/webhooks',
      headers: admin.headers,
      payload: { name: 'SIEM', url: hooks.url, kinds: ['task.assigned', 'task.closed'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const hook = created.json();
    expect(hook.secret).toMatch(/^whsec_/);
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/webhooks/${hook.id}`,
      headers: admin.headers,
    });
    expect(read.json().secret).toBeUndefined();
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/admin/webhooks', headers: admin.headers });
    expect(JSON.stringify(list.json())).not.toContain(hook.secret);
    const row = await t.db.database.db.selectFrom('webhooks').selectAll().executeTakeFirstOrThrow();
    expect(row.secret).not.toContain(hook.secret);

    const hits = hooks.hits.length;
    await notify({ recipients: [], kind: 'task.comment', params: { title: 'not subscribed' } });
    await notify({ recipients: [bob.id], kind: 'task.assigned', params: { title: 'Subscribed', dueAt: null } });
    await t.services.notifications.deliverOutbox(t.clock.now());
    expect(hooks.hits).toHaveLength(hits + 1);
    const hit = hooks.hits[hits] ?? expect.fail('no webhook call');
    const expected = `sha256=${createHmac('sha256', hook.secret).update(hit.body).digest('hex')}`;
    expect(hit.headers['x-outpost-signature']).toBe(expected);
    expect(hit.headers['content-type']).toBe('application/json');
    const body = JSON.parse(hit.body);
    expect(body).toMatchObject({
      kind: 'task.assigned',
      occurredAt: t.clock.now().toISOString(),
      office: { id: officeId, code: 'NTF' },
      entity: { type: 'task', id: '0190a0b0-0000-7000-8000-000000000001' },
      params: { title: 'Subscribed', dueAt: null, actor: 'Nino <b>Beridze</b>' },
    });
    const delivery = (await outbox()).find((o) => o.webhook_id === hook.id);
    expect(hit.headers['x-outpost-delivery']).toBe(delivery?.id);
    expect(body.id).toBe(delivery?.event_id);

    const test = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/webhooks/${hook.id}/test`,
      headers: admin.headers,
    });
    expect(test.json()).toMatchObject({ delivered: true, statusCode: 200 });
    expect(JSON.parse(hooks.hits.at(-1)?.body ?? '{}').kind).toBe('system.test');
  });

  it('a failing webhook is retried with backoff, logged, and given up after the last attempt', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/webhooks',
      headers: admin.headers,
      payload: { name: 'Flaky', url: hooks.url.replace('/hook', '/flaky'), kinds: ['task.overdue'] },
    });
    const hook = created.json();
    hooks.status = 503;
    await notify({ recipients: [], kind: 'task.overdue', params: { title: 'Late', dueAt: 'yesterday' } });
    const start = t.clock.now().getTime();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await t.services.notifications.deliverOutbox(t.clock.now());
      expect(r.retried + r.failed, `attempt ${i + 1}`).toBe(1);
      const row = (await outbox()).find((o) => o.webhook_id === hook.id);
      if (row?.status === 'pending') {
        delays.push(new Date(row.next_attempt_at).getTime() - t.clock.now().getTime());
        // Not before its time.
        t.clock.advance(new Date(row.next_attempt_at).getTime() - t.clock.now().getTime() - 1);
        expect((await t.services.notifications.deliverOutbox(t.clock.now())).retried).toBe(0);
        t.clock.advance(1);
      }
    }
    expect(delays).toEqual([MIN, 2 * MIN, 4 * MIN]);
    expect(t.clock.now().getTime() - start).toBe(7 * MIN);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/deliveries?webhookId=${hook.id}`,
      headers: admin.headers,
    });
    const [d] = list.json().items;
    expect(d).toMatchObject({
      status: 'failed',
      attempts: 4,
      lastStatusCode: 503,
      lastError: 'HTTP 503',
      nextAttemptAt: null,
    });
    const detail = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/deliveries/${d.id}`,
      headers: admin.headers,
    });
    expect(
      detail
        .json()
        .log.map((a: { attempt: number; statusCode: number; ok: boolean }) => [a.attempt, a.statusCode, a.ok]),
    ).toEqual([
      [1, 503, false],
      [2, 503, false],
      [3, 503, false],
      [4, 503, false],
    ]);
    // Failed for good: not tried again.
    t.clock.advance(24 * 60 * MIN);
    expect((await t.services.notifications.deliverOutbox(t.clock.now())).retried).toBe(0);
    admin.headers = await signIn(t, admin.email); // a day later the session has expired

    // Recovers on a retry before the last attempt: delivered, with the failed attempt in the log.
    hooks.status = 500;
    await notify({ recipients: [], kind: 'task.overdue', params: { title: 'Later', dueAt: 'today' } });
    await t.services.notifications.deliverOutbox(t.clock.now());
    hooks.status = 200;
    t.clock.advance(MIN);
    expect((await t.services.notifications.deliverOutbox(t.clock.now())).delivered).toBe(1);

    // Deleting the webhook keeps its log; a stale version is refused.
    const stale = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/admin/webhooks/${hook.id}?version=9`,
      headers: admin.headers,
    });
    expect(stale.statusCode).toBe(409);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/admin/webhooks/${hook.id}?version=1`,
      headers: admin.headers,
    });
    expect(del.statusCode).toBe(204);
    const after = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/deliveries?webhookId=${hook.id}`,
      headers: admin.headers,
    });
    expect(after.json().items).toHaveLength(2);
  });

  it('deactivating a webhook cancels what is queued for it; updates are versioned and audited', async () => {
    const created = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/admin/webhooks',
        headers: admin.headers,
        payload: { name: 'Paused', url: hooks.url, kinds: ['checklist.failed_item'] },
      })
    ).json();
    await notify({ recipients: [], kind: 'checklist.failed_item', params: { title: 'Fire', item: 'Extinguisher' } });
    const upd = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/webhooks/${created.id}`,
      headers: admin.headers,
      payload: { active: false, version: 1 },
    });
    expect(upd.json()).toMatchObject({ active: false, version: 2 });
    const row = (await outbox()).find((o) => o.webhook_id === created.id);
    expect(row?.status).toBe('cancelled');
    const badUrl = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/webhooks/${created.id}`,
      headers: admin.headers,
      payload: { url: 'file:///etc/passwd', version: 2 },
    });
    expect(badUrl.statusCode).toBe(400);
    const audit = await t.db.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', created.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['webhook.create', 'webhook.update']);
  });

  it('with the scheduler running, an e-mail goes out right after notify() commits, not at the next minute', async () => {
    const sent = smtp.mails.length;
    t.services.scheduler.start();
    try {
      const started = Date.now();
      await notify({ recipients: [bob.id], kind: 'task.closed', params: { title: 'Wake up' } });
      const mails = await smtp.waitFor(sent + 1, 5000);
      expect(mails.at(-1)?.subject).toBe('Tâche clôturée : Wake up');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await t.services.scheduler.stop();
    }
  });

  it('disabled users get nothing', async () => {
    const u = await makeUser(t.services, 'staff', ['NTF']);
    await t.db.database.db.updateTable('users').set({ is_disabled: 1 }).where('id', '=', u.id).execute();
    await notify({ recipients: [u.id], kind: 'task.assigned' });
    const n = await t.db.database.db.selectFrom('notifications').selectAll().where('user_id', '=', u.id).execute();
    expect(n).toHaveLength(0);
  });
});
