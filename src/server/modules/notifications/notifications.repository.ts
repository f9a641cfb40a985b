import type { Executor } from '../../db/database.ts';
import type {
  NotificationAttemptsTable,
  NotificationOutboxTable,
  NotificationPreferencesTable,
  NotificationsTable,
  SmtpSettingsTable,
  WebhooksTable,
} from '../../db/tables/notifications.ts';
import { afterCursor, type Cursor } from '../../lib/pagination.ts';

export type NotificationRow = NotificationsTable;
export type OutboxRow = NotificationOutboxTable;
export type PreferencesRow = NotificationPreferencesTable;
export type WebhookRow = WebhooksTable;
export type SmtpRow = SmtpSettingsTable;
export type AttemptRow = NotificationAttemptsTable;

const SMTP_ID = 'smtp';

/* ---------- recipients (read-only look-ups of the users they are for) ---------- */

export interface Recipient {
  id: string;
  email: string;
  language: string | null;
  is_disabled: number;
  office_language: string | null;
}

export async function findRecipients(ex: Executor, ids: readonly string[]): Promise<Recipient[]> {
  if (ids.length === 0) return [];
  return ex
    .selectFrom('users')
    .select([
      'users.id',
      'users.email',
      'users.language',
      'users.is_disabled',
      (eb) =>
        eb
          .selectFrom('user_offices')
          .innerJoin('offices', 'offices.id', 'user_offices.office_id')
          .select('offices.default_language')
          .whereRef('user_offices.user_id', '=', 'users.id')
          .orderBy('offices.code')
          .limit(1)
          .as('office_language'),
    ])
    .where('users.id', 'in', ids)
    .execute();
}

/* ---------- inbox ---------- */

export async function insertNotifications(ex: Executor, rows: NotificationRow[]): Promise<void> {
  if (rows.length) await ex.insertInto('notifications').values(rows).execute();
}

export async function listInbox(
  ex: Executor,
  f: { userId: string; unread?: boolean | undefined; cursor?: Cursor | undefined; limit: number },
): Promise<NotificationRow[]> {
  let q = ex.selectFrom('notifications').selectAll().where('user_id', '=', f.userId);
  if (f.unread === true) q = q.where('read_at', 'is', null);
  if (f.unread === false) q = q.where('read_at', 'is not', null);
  if (f.cursor) q = q.where(afterCursor('notifications', { column: 'created_at', desc: true }, f.cursor));
  return q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
}

export async function countUnread(ex: Executor, userId: string): Promise<number> {
  const r = await ex
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function findNotification(ex: Executor, id: string): Promise<NotificationRow | undefined> {
  return ex.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function markRead(ex: Executor, userId: string, id: string | null, at: string): Promise<number> {
  let q = ex
    .updateTable('notifications')
    .set({ read_at: at })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (id) q = q.where('id', '=', id);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function unreadSince(
  ex: Executor,
  userId: string,
  since: string,
  until: string,
  limit: number,
): Promise<NotificationRow[]> {
  return ex
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .where('created_at', '>', since)
    .where('created_at', '<=', until)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function findByIds(ex: Executor, ids: readonly string[]): Promise<NotificationRow[]> {
  if (ids.length === 0) return [];
  return ex.selectFrom('notifications').selectAll().where('id', 'in', ids).orderBy('created_at').execute();
}

/* ---------- preferences ---------- */

export async function findPreferences(ex: Executor, userIds: readonly string[]): Promise<PreferencesRow[]> {
  if (userIds.length === 0) return [];
  return ex.selectFrom('notification_preferences').selectAll().where('user_id', 'in', userIds).execute();
}

export async function insertPreferences(ex: Executor, row: PreferencesRow): Promise<void> {
  await ex.insertInto('notification_preferences').values(row).execute();
}

export async function updatePreferencesIfVersion(
  ex: Executor,
  row: PreferencesRow,
  expected: number,
): Promise<boolean> {
  const { user_id, ...fields } = row;
  const r = await ex
    .updateTable('notification_preferences')
    .set(fields)
    .where('user_id', '=', user_id)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function digestUsers(ex: Executor): Promise<PreferencesRow[]> {
  return ex.selectFrom('notification_preferences').selectAll().where('digest', '=', 1).orderBy('user_id').execute();
}

export async function setLastDigest(ex: Executor, userId: string, at: string): Promise<void> {
  await ex.updateTable('notification_preferences').set({ last_digest_at: at }).where('user_id', '=', userId).execute();
}

/* ---------- outbox ---------- */

export async function insertOutbox(ex: Executor, rows: OutboxRow[]): Promise<void> {
  if (rows.length) await ex.insertInto('notification_outbox').values(rows).execute();
}

export async function findOutbox(ex: Executor, id: string): Promise<OutboxRow | undefined> {
  return ex.selectFrom('notification_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Ids of messages due now and not leased by a live worker. */
export async function dueIds(ex: Executor, now: string, limit: number): Promise<string[]> {
  const rows = await ex
    .selectFrom('notification_outbox')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Takes the lease of one message: a conditional update, so of two workers racing for it exactly one
 * changes the row (PostgreSQL re-checks the condition on the row it waited for).
 */
export async function claim(ex: Executor, id: string, owner: string, now: string, until: string): Promise<boolean> {
  const r = await ex
    .updateTable('notification_outbox')
    .set({ lease_owner: owner, lease_until: until, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records the outcome, if this worker still holds the lease. */
export async function finish(
  ex: Executor,
  id: string,
  owner: string,
  fields: Partial<
    Pick<OutboxRow, 'status' | 'attempts' | 'next_attempt_at' | 'last_error' | 'last_status_code' | 'delivered_at'>
  > & {
    updated_at: string;
  },
): Promise<boolean> {
  const r = await ex
    .updateTable('notification_outbox')
    .set({ ...fields, lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertAttempt(ex: Executor, row: AttemptRow): Promise<void> {
  await ex.insertInto('notification_attempts').values(row).execute();
}

export async function attemptsOf(ex: Executor, outboxId: string): Promise<AttemptRow[]> {
  return ex
    .selectFrom('notification_attempts')
    .selectAll()
    .where('outbox_id', '=', outboxId)
    .orderBy('attempt')
    .execute();
}

export async function listOutbox(
  ex: Executor,
  f: {
    channel?: string | undefined;
    status?: string | undefined;
    webhookId?: string | undefined;
    cursor?: Cursor | undefined;
    limit: number;
  },
): Promise<OutboxRow[]> {
  let q = ex.selectFrom('notification_outbox').selectAll();
  if (f.channel) q = q.where('channel', '=', f.channel);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.webhookId) q = q.where('webhook_id', '=', f.webhookId);
  if (f.cursor) q = q.where(afterCursor('notification_outbox', { column: 'created_at', desc: true }, f.cursor));
  return q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
}

export async function cancelPendingOfWebhook(ex: Executor, webhookId: string, at: string): Promise<void> {
  await ex
    .updateTable('notification_outbox')
    .set({ status: 'cancelled', updated_at: at, last_error: 'webhook deleted' })
    .where('webhook_id', '=', webhookId)
    .where('status', '=', 'pending')
    .execute();
}

/* ---------- webhooks ---------- */

export async function activeWebhooks(ex: Executor): Promise<WebhookRow[]> {
  return ex
    .selectFrom('webhooks')
    .selectAll()
    .where('active', '=', 1)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
}

export async function listWebhooks(ex: Executor): Promise<WebhookRow[]> {
  return ex.selectFrom('webhooks').selectAll().where('deleted_at', 'is', null).orderBy('name').orderBy('id').execute();
}

export async function findWebhook(ex: Executor, id: string): Promise<WebhookRow | undefined> {
  return ex.selectFrom('webhooks').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/** Also a deleted one: the worker needs its secret to finish, or to cancel, messages already queued. */
export async function findWebhookAny(ex: Executor, id: string): Promise<WebhookRow | undefined> {
  return ex.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertWebhook(ex: Executor, row: WebhookRow): Promise<void> {
  await ex.insertInto('webhooks').values(row).execute();
}

export async function updateWebhookIfVersion(ex: Executor, row: WebhookRow, expected: number): Promise<boolean> {
  const { id, created_at: _c, ...fields } = row;
  const r = await ex
    .updateTable('webhooks')
    .set(fields)
    .where('id', '=', id)
    .where('version', '=', expected)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/* ---------- SMTP settings ---------- */

export async function findSmtp(ex: Executor): Promise<SmtpRow | undefined> {
  return ex.selectFrom('smtp_settings').selectAll().where('id', '=', SMTP_ID).executeTakeFirst();
}

export async function saveSmtp(ex: Executor, row: Omit<SmtpRow, 'id'>, expected: number): Promise<boolean> {
  if (expected === 0) {
    const r = await ex
      .insertInto('smtp_settings')
      .values({ id: SMTP_ID, ...row })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const r = await ex
    .updateTable('smtp_settings')
    .set(row)
    .where('id', '=', SMTP_ID)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The office's time zone, so that times in notifications read in the office's local time. */
export async function officeTimeZone(ex: Executor, officeId: string): Promise<string | null> {
  const r = await ex.selectFrom('offices').select('timezone').where('id', '=', officeId).executeTakeFirst();
  return r?.timezone ?? null;
}
