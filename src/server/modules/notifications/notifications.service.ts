import type { Kysely } from 'kysely';
import type { z } from 'zod';
import {
  type Delivery,
  type DeliveryQuery,
  type InboxQuery,
  NOTIFICATION_KIND_LIST,
  type Notification,
  type Preferences,
  PreferencesInput,
  type SmtpSettings,
  SmtpSettingsInput,
  type Webhook,
  WebhookCreateInput,
  WebhookUpdateInput,
} from '../../../shared/notifications/notifications.schemas.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { assertCan, type Ctx } from '../../lib/auth.ts';
import { type Clock, isoNow } from '../../lib/clock.ts';
import { Invalid, NotFound, Unauthenticated, VersionConflict } from '../../lib/errors.ts';
import { newId, newToken } from '../../lib/ids.ts';
import type { Logger } from '../../lib/logger.ts';
import { checkOutbound, parseOutboundAllow } from '../../lib/outbound.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import { NOTIFICATION_KINDS, type NotificationRequest, type Notifier } from '../../lib/ports.ts';
import type { SecretBox } from '../../lib/secrets.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { createMailer, type Mailer, postWebhook, type SendOutcome } from './notifications.delivery.ts';
import * as repo from './notifications.repository.ts';
import { type Language, linkFor, pickLanguage, render, renderDigest, renderEmail } from './notifications.templates.ts';

type Inbox = z.infer<typeof InboxQuery>;
type DeliveryFilter = z.infer<typeof DeliveryQuery>;

export interface NotificationSettings {
  baseUrl: string;
  OUTBOUND_ALLOW?: string | undefined;
  /** First retry after this many seconds, then doubling (capped at 60×). */
  OUTBOX_RETRY_BASE_SECONDS: number;
  /** After this many failed attempts a message is marked failed (visible in the delivery log). */
  OUTBOX_MAX_ATTEMPTS: number;
}

export type NotificationService = ReturnType<typeof createNotificationService>;

/** How long a worker holds a message it is sending; another instance may take it over afterwards. */
const LEASE_MS = 5 * 60_000;
const BATCH = 50;
const DIGEST_MAX_ITEMS = 200;
const DAY_MS = 24 * 60 * 60_000;

function parseJson<T>(raw: string, fallback: T): T {
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
}

function needSelf(ctx: Ctx): string {
  if (!ctx.actor) throw new Unauthenticated('Sign in first.');
  return ctx.actor.userId;
}

export function createNotificationService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  secrets: SecretBox;
  logger: Logger;
  settings: NotificationSettings;
}) {
  const { db, clock, audit, secrets, logger, settings } = deps;
  const allow = parseOutboundAllow(settings.OUTBOUND_ALLOW);
  const instance = newId();
  let wake: (() => void) | null = null;
  let wakeTimer: NodeJS.Timeout | null = null;

  /** Asks the worker to run soon: shortly after the caller's transaction has (most likely) committed. */
  function wakeSoon() {
    if (!wake || wakeTimer) return;
    wakeTimer = setTimeout(() => {
      wakeTimer = null;
      wake?.();
    }, 300);
    wakeTimer.unref();
  }

  function outboxRow(
    base: Pick<
      repo.OutboxRow,
      'event_id' | 'channel' | 'kind' | 'office_id' | 'entity_type' | 'entity_id' | 'params' | 'occurred_at'
    > &
      Partial<Pick<repo.OutboxRow, 'notification_id' | 'user_id' | 'webhook_id'>>,
  ): repo.OutboxRow {
    return {
      id: newId(),
      notification_id: null,
      user_id: null,
      webhook_id: null,
      ...base,
      status: 'pending',
      attempts: 0,
      next_attempt_at: base.occurred_at,
      lease_owner: null,
      lease_until: null,
      last_error: null,
      last_status_code: null,
      delivered_at: null,
      created_at: base.occurred_at,
      updated_at: base.occurred_at,
    };
  }

  function emailWanted(prefs: repo.PreferencesRow | undefined, kind: string): boolean {
    if (!prefs) return true;
    return !parseJson<string[]>(prefs.email_off, []).includes(kind);
  }

  async function enqueue(
    ex: Executor,
    ctx: Ctx,
    req: NotificationRequest,
    opts: { includeActor?: boolean; forceEmail?: boolean; webhooks?: boolean } = {},
  ): Promise<{ eventId: string; notificationIds: string[]; outboxIds: string[] }> {
    if (!(NOTIFICATION_KINDS as readonly string[]).includes(req.kind))
      throw new Error(`unknown notification kind ${req.kind}`);
    const actorId = ctx.actor?.userId ?? null;
    const wanted = [...new Set(req.recipients)].filter((id) => opts.includeActor || id !== actorId);
    const users = (await repo.findRecipients(ex, wanted)).filter((u) => u.is_disabled === 0);
    const prefs = new Map(
      (
        await repo.findPreferences(
          ex,
          users.map((u) => u.id),
        )
      ).map((p) => [p.user_id, p]),
    );
    const now = isoNow(clock);
    const eventId = newId();
    const params = JSON.stringify(req.params);
    const common = {
      event_id: eventId,
      kind: req.kind,
      office_id: req.officeId,
      entity_type: req.entityType,
      entity_id: req.entityId,
      params,
    };
    const inbox: repo.NotificationRow[] = [];
    const outbox: repo.OutboxRow[] = [];
    for (const u of users) {
      const n: repo.NotificationRow = {
        id: newId(),
        ...common,
        user_id: u.id,
        actor_user_id: actorId,
        actor_label: ctx.actor?.displayName ?? null,
        created_at: now,
        read_at: null,
      };
      inbox.push(n);
      const p = prefs.get(u.id);
      if (opts.forceEmail || (emailWanted(p, req.kind) && p?.digest !== 1)) {
        outbox.push(outboxRow({ ...common, channel: 'email', occurred_at: now, notification_id: n.id, user_id: u.id }));
      }
    }
    if (opts.webhooks !== false) {
      for (const w of await repo.activeWebhooks(ex)) {
        if (!parseJson<string[]>(w.kinds, []).includes(req.kind)) continue;
        outbox.push(outboxRow({ ...common, channel: 'webhook', occurred_at: now, webhook_id: w.id }));
      }
    }
    await repo.insertNotifications(ex, inbox);
    await repo.insertOutbox(ex, outbox);
    if (outbox.length) wakeSoon();
    return { eventId, notificationIds: inbox.map((n) => n.id), outboxIds: outbox.map((o) => o.id) };
  }

  const notifier: Notifier = {
    async notify(ex, ctx, req) {
      const actor = ctx.actor?.displayName;
      const params: Record<string, string | number | null> = { ...req.params };
      if (actor && params.actor === undefined) params.actor = actor;
      if (req.officeId && params.timeZone === undefined) params.timeZone = await repo.officeTimeZone(ex, req.officeId);
      await enqueue(ex, ctx, { ...req, params });
    },
  };

  async function languageOf(userId: string): Promise<{ email: string; lang: Language; disabled: boolean } | null> {
    const [u] = await repo.findRecipients(db, [userId]);
    if (!u) return null;
    return { email: u.email, lang: pickLanguage(u.language, u.office_language), disabled: u.is_disabled !== 0 };
  }

  function toNotification(r: repo.NotificationRow, lang: Language): Notification {
    const params = parseJson<Record<string, string | number | null>>(r.params, {});
    const text = render(r.kind, params, lang);
    return {
      id: r.id,
      kind: r.kind,
      officeId: r.office_id,
      entityType: r.entity_type,
      entityId: r.entity_id,
      params,
      actorLabel: r.actor_label,
      title: text.subject,
      body: text.text,
      link: linkFor(r.entity_type, r.entity_id, r.office_id),
      createdAt: r.created_at,
      readAt: r.read_at,
    };
  }

  function toDelivery(r: repo.OutboxRow): Delivery {
    return {
      id: r.id,
      eventId: r.event_id,
      channel: r.channel as Delivery['channel'],
      kind: r.kind,
      userId: r.user_id,
      webhookId: r.webhook_id,
      status: r.status as Delivery['status'],
      attempts: r.attempts,
      lastStatusCode: r.last_status_code,
      lastError: r.last_error,
      nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
      deliveredAt: r.delivered_at,
      createdAt: r.created_at,
    };
  }

  function toWebhook(r: repo.WebhookRow): Webhook {
    return {
      id: r.id,
      name: r.name,
      url: r.url,
      kinds: parseJson<string[]>(r.kinds, []),
      active: r.active === 1,
      version: r.version,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  function toPreferences(p: repo.PreferencesRow | undefined): Preferences {
    const off = p ? parseJson<string[]>(p.email_off, []) : [];
    return {
      email: Object.fromEntries(NOTIFICATION_KIND_LIST.map((k) => [k, !off.includes(k)])),
      digest: p?.digest === 1,
      version: p?.version ?? 1,
    };
  }

  async function checkUrl(url: string): Promise<void> {
    const d = await checkOutbound(url, allow);
    if (!d.ok) throw new Invalid(`The webhook URL is refused: ${d.reason}.`, [{ path: 'body.url', message: d.reason }]);
  }

  /* ---------- delivery ---------- */

  function backoffMs(attempts: number): number {
    const base = settings.OUTBOX_RETRY_BASE_SECONDS * 1000;
    return Math.min(base * 2 ** Math.max(0, attempts - 1), base * 60);
  }

  interface RunState {
    mailer: Mailer | null | undefined;
    smtpError: string | null;
  }

  async function mailerFor(state: RunState): Promise<Mailer | null> {
    if (state.mailer !== undefined) return state.mailer;
    const s = await repo.findSmtp(db);
    if (!s) {
      state.mailer = null;
      state.smtpError = 'SMTP is not configured (Settings → E-mail)';
      return null;
    }
    let password: string | null = null;
    try {
      password = s.password ? secrets.open(s.password) : null;
    } catch {
      state.mailer = null;
      state.smtpError = 'The stored SMTP password cannot be decrypted (was the secret key changed?); enter it again';
      return null;
    }
    state.mailer = createMailer({
      host: s.host,
      port: s.port,
      security: s.security as 'tls' | 'starttls' | 'none',
      username: s.username,
      password,
      fromAddress: s.from_address,
    });
    return state.mailer;
  }

  type Outcome = SendOutcome | { cancel: string };

  async function sendEmail(row: repo.OutboxRow, state: RunState): Promise<Outcome> {
    if (!row.user_id) return { cancel: 'no recipient' };
    const who = await languageOf(row.user_id);
    if (!who || who.disabled) return { cancel: 'the recipient no longer exists or is disabled' };
    const mailer = await mailerFor(state);
    if (!mailer) return { ok: false, statusCode: null, error: state.smtpError };
    const base = settings.baseUrl;
    let email: ReturnType<typeof renderEmail>;
    if (row.kind === 'digest') {
      const ids = parseJson<{ ids?: string[] }>(row.params, {}).ids ?? [];
      const items = await repo.findByIds(db, ids);
      email = renderDigest(
        items.map((n) => ({
          kind: n.kind,
          params: parseJson(n.params, {}),
          link: `${base}${linkFor(n.entity_type, n.entity_id, n.office_id)}`,
          createdAt: n.created_at,
        })),
        who.lang,
      );
    } else {
      email = renderEmail(
        row.kind,
        parseJson(row.params, {}),
        who.lang,
        `${base}${linkFor(row.entity_type, row.entity_id, row.office_id)}`,
      );
    }
    return mailer.send(who.email, email, { 'X-Outpost-Delivery': row.id });
  }

  async function sendWebhook(row: repo.OutboxRow): Promise<Outcome> {
    const hook = row.webhook_id ? await repo.findWebhookAny(db, row.webhook_id) : undefined;
    if (!hook || hook.deleted_at) return { cancel: 'webhook deleted' };
    let secret: string;
    try {
      secret = secrets.open(hook.secret);
    } catch {
      return {
        ok: false,
        statusCode: null,
        error: 'the webhook secret cannot be decrypted (was the secret key changed?)',
      };
    }
    const office = row.office_id
      ? await db.selectFrom('offices').select(['id', 'code', 'name']).where('id', '=', row.office_id).executeTakeFirst()
      : undefined;
    const body = JSON.stringify({
      id: row.event_id,
      kind: row.kind,
      occurredAt: row.occurred_at,
      office: office
        ? { id: office.id, code: office.code, name: office.name }
        : row.office_id
          ? { id: row.office_id }
          : null,
      entity: {
        type: row.entity_type,
        id: row.entity_id,
        url: `${settings.baseUrl}${linkFor(row.entity_type, row.entity_id, row.office_id)}`,
      },
      params: parseJson(row.params, {}),
    });
    return postWebhook(hook.url, allow, secret, row.id, body);
  }

  /** Sends one claimed message and records the outcome (delivered, retry later, or failed for good). */
  async function deliverClaimed(row: repo.OutboxRow, owner: string, state: RunState): Promise<SendOutcome | null> {
    const started = performance.now();
    let outcome: Outcome;
    try {
      outcome = row.channel === 'email' ? await sendEmail(row, state) : await sendWebhook(row);
    } catch (e) {
      outcome = { ok: false, statusCode: null, error: (e as Error).message ?? String(e) };
    }
    const doneAt = clock.now();
    const at = doneAt.toISOString();
    if ('cancel' in outcome) {
      await repo.finish(db, row.id, owner, { status: 'cancelled', last_error: outcome.cancel, updated_at: at });
      return null;
    }
    const attempts = row.attempts + 1;
    await db.transaction().execute(async (trx) => {
      await repo.insertAttempt(trx, {
        id: newId(),
        outbox_id: row.id,
        attempt: attempts,
        at,
        ok: outcome.ok ? 1 : 0,
        status_code: outcome.statusCode,
        error: outcome.error,
        duration_ms: Math.round(performance.now() - started),
      });
      if (outcome.ok) {
        await repo.finish(trx, row.id, owner, {
          status: 'delivered',
          attempts,
          delivered_at: at,
          last_status_code: outcome.statusCode,
          last_error: null,
          updated_at: at,
        });
      } else {
        const giveUp = attempts >= settings.OUTBOX_MAX_ATTEMPTS;
        await repo.finish(trx, row.id, owner, {
          status: giveUp ? 'failed' : 'pending',
          attempts,
          next_attempt_at: new Date(doneAt.getTime() + backoffMs(attempts)).toISOString(),
          last_status_code: outcome.statusCode,
          last_error: outcome.error,
          updated_at: at,
        });
      }
    });
    if (!outcome.ok) {
      logger.warn(
        { delivery: row.id, channel: row.channel, kind: row.kind, attempts, error: outcome.error },
        'notification delivery failed',
      );
    }
    return outcome;
  }

  async function claimAndDeliver(id: string, now: Date, owner: string, state: RunState) {
    const nowIso = now.toISOString();
    if (!(await repo.claim(db, id, owner, nowIso, new Date(now.getTime() + LEASE_MS).toISOString()))) return undefined;
    const row = await repo.findOutbox(db, id);
    if (!row) return undefined;
    return deliverClaimed(row, owner, state);
  }

  /** Delivers one message right away (the "send test" buttons); the outcome is also in the log. */
  async function deliverNow(
    id: string,
  ): Promise<{ deliveryId: string; delivered: boolean; statusCode: number | null; error: string | null }> {
    const state: RunState = { mailer: undefined, smtpError: null };
    try {
      const o = await claimAndDeliver(id, clock.now(), `${instance}:${newId()}`, state);
      return {
        deliveryId: id,
        delivered: o?.ok ?? false,
        statusCode: o?.statusCode ?? null,
        error: o ? o.error : 'not sent',
      };
    } finally {
      state.mailer?.close();
    }
  }

  async function getSmtp(ctx: Ctx): Promise<SmtpSettings> {
    assertCan(ctx, 'integration.manage');
    const s = await repo.findSmtp(db);
    return {
      configured: Boolean(s),
      host: s?.host ?? null,
      port: s?.port ?? null,
      security: (s?.security as SmtpSettings['security']) ?? null,
      username: s?.username ?? null,
      passwordSet: Boolean(s?.password),
      fromAddress: s?.from_address ?? null,
      version: s?.version ?? 0,
    };
  }

  return {
    notifier,

    /** The scheduler's hook: called (debounced) after notify() queued something. */
    onQueued(fn: (() => void) | null) {
      wake = fn;
    },

    /* ---------- inbox ---------- */

    async inbox(ctx: Ctx, query: Inbox) {
      assertCan(ctx, 'notification.self');
      const userId = needSelf(ctx);
      const who = await languageOf(userId);
      const lang = who?.lang ?? 'en';
      const rows = await repo.listInbox(db, {
        userId,
        unread: query.unread,
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return toPage(
        rows,
        query.limit,
        (r) => r.created_at,
        (r) => toNotification(r, lang),
      );
    },

    async unreadCount(ctx: Ctx) {
      assertCan(ctx, 'notification.self');
      return { count: await repo.countUnread(db, needSelf(ctx)) };
    },

    async markRead(ctx: Ctx, id: string): Promise<Notification> {
      assertCan(ctx, 'notification.self');
      const userId = needSelf(ctx);
      const row = await repo.findNotification(db, id);
      if (!row || row.user_id !== userId) throw new NotFound('No such notification.');
      const at = isoNow(clock);
      await repo.markRead(db, userId, id, at);
      const who = await languageOf(userId);
      return toNotification({ ...row, read_at: row.read_at ?? at }, who?.lang ?? 'en');
    },

    async markAllRead(ctx: Ctx) {
      assertCan(ctx, 'notification.self');
      return { marked: await repo.markRead(db, needSelf(ctx), null, isoNow(clock)) };
    },

    /* ---------- preferences ---------- */

    async getPreferences(ctx: Ctx): Promise<Preferences> {
      assertCan(ctx, 'notification.self');
      const [p] = await repo.findPreferences(db, [needSelf(ctx)]);
      return toPreferences(p);
    },

    async putPreferences(ctx: Ctx, input: PreferencesInput): Promise<Preferences> {
      assertCan(ctx, 'notification.self');
      const userId = needSelf(ctx);
      const data = PreferencesInput.parse(input);
      return db.transaction().execute(async (trx) => {
        const [before] = await repo.findPreferences(trx, [userId]);
        const current = toPreferences(before);
        if (current.version !== data.version) {
          throw new VersionConflict(
            `Your notification settings were changed elsewhere (now version ${current.version}); reload them.`,
            current.version,
          );
        }
        const email = { ...current.email, ...data.email };
        const row: repo.PreferencesRow = {
          user_id: userId,
          email_off: JSON.stringify(NOTIFICATION_KIND_LIST.filter((k) => email[k] === false)),
          digest: (data.digest ?? current.digest) ? 1 : 0,
          last_digest_at: before?.last_digest_at ?? null,
          version: current.version + 1,
          updated_at: isoNow(clock),
        };
        const ok = before
          ? await repo.updatePreferencesIfVersion(trx, row, data.version)
          : await repo.insertPreferences(trx, row).then(
              () => true,
              () => false,
            );
        if (!ok) throw new VersionConflict('Your notification settings were changed elsewhere; reload them.');
        const after = toPreferences(row);
        await audit.record(trx, ctx, {
          action: 'notification.preferences_update',
          entityType: 'user',
          entityId: userId,
          changes: { email: [current.email, after.email], digest: [current.digest, after.digest] },
        });
        return after;
      });
    },

    /* ---------- SMTP ---------- */

    getSmtp,

    async putSmtp(ctx: Ctx, input: SmtpSettingsInput): Promise<SmtpSettings> {
      assertCan(ctx, 'integration.manage');
      const data = SmtpSettingsInput.parse(input);
      await db.transaction().execute(async (trx) => {
        const before = await repo.findSmtp(trx);
        if ((before?.version ?? 0) !== data.version) {
          throw new VersionConflict(
            'The e-mail settings were changed by someone else; reload them and apply your change again.',
            before?.version,
          );
        }
        const password =
          data.password === undefined ? (before?.password ?? null) : data.password ? secrets.seal(data.password) : null;
        const row = {
          host: data.host,
          port: data.port,
          security: data.security,
          username: data.username || null,
          password,
          from_address: data.fromAddress,
          version: data.version + 1,
          updated_at: isoNow(clock),
        };
        if (!(await repo.saveSmtp(trx, row, data.version)))
          throw new VersionConflict('The e-mail settings were changed by someone else; reload them.');
        await audit.record(trx, ctx, {
          action: 'smtp.update',
          entityType: 'smtp_settings',
          entityId: null,
          changes: {
            host: [before?.host ?? null, row.host],
            port: [before?.port ?? null, row.port],
            security: [before?.security ?? null, row.security],
            username: [before?.username ?? null, row.username],
            fromAddress: [before?.from_address ?? null, row.from_address],
            passwordChanged: data.password !== undefined,
          },
        });
      });
      return getSmtp(ctx);
    },

    /** Queues a test e-mail to the caller and tries to send it now; when it fails it stays queued. */
    async sendTestEmail(ctx: Ctx) {
      assertCan(ctx, 'integration.manage');
      const userId = needSelf(ctx);
      const queued = await db.transaction().execute((trx) =>
        enqueue(
          trx,
          ctx,
          {
            recipients: [userId],
            kind: 'system.test',
            officeId: null,
            entityType: 'user',
            entityId: userId,
            params: { actor: ctx.actor?.displayName ?? null },
          },
          { includeActor: true, forceEmail: true, webhooks: false },
        ),
      );
      const id = queued.outboxIds[0];
      if (!id) throw new Invalid('Your account cannot receive e-mail.');
      return deliverNow(id);
    },

    /* ---------- webhooks ---------- */

    async listWebhooks(ctx: Ctx): Promise<Webhook[]> {
      assertCan(ctx, 'integration.manage');
      return (await repo.listWebhooks(db)).map(toWebhook);
    },

    async getWebhook(ctx: Ctx, id: string): Promise<Webhook> {
      assertCan(ctx, 'integration.manage');
      const r = await repo.findWebhook(db, id);
      if (!r) throw new NotFound('No such webhook.');
      return toWebhook(r);
    },

    async createWebhook(ctx: Ctx, input: WebhookCreateInput): Promise<Webhook & { secret: string }> {
      assertCan(ctx, 'integration.manage');
      const data = WebhookCreateInput.parse(input);
      await checkUrl(data.url);
      const secret = `whsec_${newToken(32)}`;
      const now = isoNow(clock);
      const row: repo.WebhookRow = {
        id: newId(),
        name: data.name,
        url: data.url,
        secret: secrets.seal(secret),
        kinds: JSON.stringify([...new Set(data.kinds)]),
        active: data.active ? 1 : 0,
        version: 1,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      };
      await db.transaction().execute(async (trx) => {
        await repo.insertWebhook(trx, row);
        const { secret: _s, ...shown } = toWebhook(row) as Webhook & { secret?: string };
        await audit.record(trx, ctx, {
          action: 'webhook.create',
          entityType: 'webhook',
          entityId: row.id,
          changes: shown,
        });
      });
      return { ...toWebhook(row), secret };
    },

    async updateWebhook(ctx: Ctx, id: string, input: WebhookUpdateInput): Promise<Webhook> {
      assertCan(ctx, 'integration.manage');
      const data = WebhookUpdateInput.parse(input);
      if (data.url !== undefined) await checkUrl(data.url);
      return db.transaction().execute(async (trx) => {
        const before = await repo.findWebhook(trx, id);
        if (!before) throw new NotFound('No such webhook.');
        if (before.version !== data.version)
          throw new VersionConflict(
            `This webhook was changed by someone else (now version ${before.version}); reload it.`,
            before.version,
          );
        const now = isoNow(clock);
        const after: repo.WebhookRow = {
          ...before,
          name: data.name ?? before.name,
          url: data.url ?? before.url,
          kinds: data.kinds ? JSON.stringify([...new Set(data.kinds)]) : before.kinds,
          active: data.active === undefined ? before.active : data.active ? 1 : 0,
          version: before.version + 1,
          updated_at: now,
        };
        if (!(await repo.updateWebhookIfVersion(trx, after, data.version)))
          throw new VersionConflict('This webhook was changed by someone else; reload it.');
        if (before.active === 1 && after.active === 0) await repo.cancelPendingOfWebhook(trx, id, now);
        const b = toWebhook(before);
        const a = toWebhook(after);
        const changes = Object.fromEntries(
          (['name', 'url', 'kinds', 'active'] as const)
            .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
            .map((k) => [k, [b[k], a[k]]]),
        );
        await audit.record(trx, ctx, { action: 'webhook.update', entityType: 'webhook', entityId: id, changes });
        return a;
      });
    },

    async deleteWebhook(ctx: Ctx, id: string, version: number): Promise<void> {
      assertCan(ctx, 'integration.manage');
      await db.transaction().execute(async (trx) => {
        const before = await repo.findWebhook(trx, id);
        if (!before) throw new NotFound('No such webhook.');
        const now = isoNow(clock);
        if (
          before.version !== version ||
          !(await repo.updateWebhookIfVersion(
            trx,
            { ...before, deleted_at: now, updated_at: now, version: version + 1 },
            version,
          ))
        )
          throw new VersionConflict(
            'This webhook was changed by someone else; reload it before deleting.',
            before.version,
          );
        await repo.cancelPendingOfWebhook(trx, id, now);
        await audit.record(trx, ctx, {
          action: 'webhook.delete',
          entityType: 'webhook',
          entityId: id,
          changes: { name: before.name, url: before.url },
        });
      });
    },

    /** Queues a `system.test` event to this one webhook and sends it now; the outcome is in the log. */
    async testWebhook(ctx: Ctx, id: string) {
      assertCan(ctx, 'integration.manage');
      const hook = await repo.findWebhook(db, id);
      if (!hook) throw new NotFound('No such webhook.');
      const now = isoNow(clock);
      const row = outboxRow({
        event_id: newId(),
        channel: 'webhook',
        kind: 'system.test',
        office_id: null,
        entity_type: 'webhook',
        entity_id: id,
        params: JSON.stringify({ actor: ctx.actor?.displayName ?? null }),
        occurred_at: now,
        webhook_id: id,
      });
      await repo.insertOutbox(db, [row]);
      return deliverNow(row.id);
    },

    /* ---------- delivery log ---------- */

    async listDeliveries(ctx: Ctx, query: DeliveryFilter) {
      assertCan(ctx, 'integration.manage');
      const rows = await repo.listOutbox(db, {
        channel: query.channel,
        status: query.status,
        webhookId: query.webhookId,
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return toPage(rows, query.limit, (r) => r.created_at, toDelivery);
    },

    async getDelivery(ctx: Ctx, id: string) {
      assertCan(ctx, 'integration.manage');
      const row = await repo.findOutbox(db, id);
      if (!row) throw new NotFound('No such delivery.');
      const log = (await repo.attemptsOf(db, id)).map((a) => ({
        attempt: a.attempt,
        at: a.at,
        ok: a.ok === 1,
        statusCode: a.status_code,
        error: a.error,
        durationMs: a.duration_ms,
      }));
      return { ...toDelivery(row), log };
    },

    /* ---------- jobs ---------- */

    /**
     * The outbox worker: takes each due message under a lease (so two instances never send the same
     * one), sends it, and records delivered / retry with backoff / failed. Returns what it did.
     */
    async deliverOutbox(now: Date): Promise<{ delivered: number; retried: number; failed: number; cancelled: number }> {
      const owner = `${instance}:${newId()}`;
      const state: RunState = { mailer: undefined, smtpError: null };
      const result = { delivered: 0, retried: 0, failed: 0, cancelled: 0 };
      const seen = new Set<string>();
      try {
        for (let round = 0; round < 20; round++) {
          const ids = (await repo.dueIds(db, now.toISOString(), BATCH)).filter((id) => !seen.has(id));
          if (ids.length === 0) break;
          for (const id of ids) {
            seen.add(id);
            const o = await claimAndDeliver(id, now, owner, state);
            if (o === undefined) continue;
            if (o === null) result.cancelled++;
            else if (o.ok) result.delivered++;
            else {
              const after = await repo.findOutbox(db, id);
              if (after?.status === 'failed') result.failed++;
              else result.retried++;
            }
          }
        }
      } finally {
        state.mailer?.close();
      }
      return result;
    },

    /** The daily digest: one e-mail per user who chose it, summarising unread notifications since the last one. */
    async runDigest(now: Date): Promise<{ sent: number }> {
      const nowIso = now.toISOString();
      const dayAgo = new Date(now.getTime() - DAY_MS).toISOString();
      let sent = 0;
      for (const p of await repo.digestUsers(db)) {
        const since = p.last_digest_at && p.last_digest_at > dayAgo ? p.last_digest_at : dayAgo;
        const queued = await db.transaction().execute(async (trx) => {
          const [u] = await repo.findRecipients(trx, [p.user_id]);
          if (!u || u.is_disabled) return false;
          const items = (await repo.unreadSince(trx, p.user_id, since, nowIso, DIGEST_MAX_ITEMS)).filter((n) =>
            emailWanted(p, n.kind),
          );
          await repo.setLastDigest(trx, p.user_id, nowIso);
          if (items.length === 0) return false;
          await repo.insertOutbox(trx, [
            outboxRow({
              event_id: newId(),
              channel: 'email',
              kind: 'digest',
              office_id: null,
              entity_type: 'user',
              entity_id: p.user_id,
              params: JSON.stringify({ ids: items.map((n) => n.id) }),
              occurred_at: nowIso,
              user_id: p.user_id,
            }),
          ]);
          return true;
        });
        if (queued) sent++;
      }
      if (sent) wakeSoon();
      return { sent };
    },
  };
}
