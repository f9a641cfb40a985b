import type { Permission } from '../../shared/permissions.ts';
import type { Executor } from '../db/database.ts';
import type { Ctx } from './auth.ts';

/**
 * The seams between the shared building blocks (ADR 0010). Modules depend on these interfaces, not on
 * each other's internals; the composition root (services.ts) plugs the implementations in.
 */

/** What a notification is about. Templates (en/fr) live with the notifications module, keyed by kind. */
export const NOTIFICATION_KINDS = [
  'task.assigned',
  'task.due_soon',
  'task.overdue',
  'task.comment',
  'task.closed',
  'checklist.failed_item',
  'incident.reported',
  'incident.assigned',
  'incident.review_requested',
  'incident.closed',
  'incident.escalated',
  'incident.escalation_overdue',
  'incident.hq_acknowledged',
  'incident.immediate_alert',
  'system.test',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationRequest {
  /** User ids. The actor who caused it is not notified of their own action. */
  recipients: readonly string[];
  kind: NotificationKind;
  officeId: string | null;
  /** The record it is about, e.g. `task` + id; the web link is derived from it. */
  entityType: string;
  entityId: string;
  /** Values the templates interpolate: `title`, `dueAt`, `actor`… Plain strings, never HTML. */
  params: Readonly<Record<string, string | number | null>>;
}

export interface Notifier {
  /**
   * Writes the inbox entries and the outbox messages (e-mail, webhooks) in the caller's transaction:
   * the notification exists exactly when the change that caused it does. Delivery happens later, by
   * the outbox worker; a failing channel never fails the caller.
   */
  notify(ex: Executor, ctx: Ctx, req: NotificationRequest): Promise<void>;
}

/** A document in the one search index. */
export interface SearchDoc {
  entityType: string;
  entityId: string;
  officeId: string | null;
  title: string;
  body: string;
  /** Permission needed to see it in results (office-scoped by `officeId`). */
  permission: Permission;
  /** When set, only these users see it, whatever their role (admins and HQ included): sensitive records. */
  restrictedTo?: readonly string[] | null;
  updatedAt: string;
}

export interface SearchIndexer {
  upsert(ex: Executor, doc: SearchDoc): Promise<void>;
  remove(ex: Executor, entityType: string, entityId: string): Promise<void>;
}

/** A record another record can point at (a task's subject, an attachment's owner). */
export interface LinkedRecord {
  entityType: string;
  entityId: string;
  officeId: string | null;
  title: string;
}

/**
 * Each module registers how to resolve its records for links. `resolve` applies the caller's access
 * rules and throws NotFound when the record does not exist *for them*; `canWrite` says whether the
 * caller may attach to / change things hanging off it.
 */
export interface RecordResolver {
  resolve(ex: Executor, ctx: Ctx, id: string): Promise<LinkedRecord>;
  canWrite(ctx: Ctx, record: LinkedRecord): boolean;
}

export interface RecordLinks {
  register(entityType: string, resolver: RecordResolver): void;
  /** Throws a 422 (unknown type) or 404 (no such record for this caller). */
  resolve(ex: Executor, ctx: Ctx, entityType: string, entityId: string): Promise<LinkedRecord>;
  canWrite(ctx: Ctx, record: LinkedRecord): boolean;
  types(): string[];
}

/** A named recurring job; the scheduler runs it on its cron, one instance at a time across the cluster. */
export interface JobDefinition {
  name: string;
  /** croner pattern, e.g. `* * * * *` (every minute) or `0 6 * * *` (06:00 daily, server time zone). */
  cron: string;
  run(now: Date): Promise<void>;
}

export const noopNotifier: Notifier = { notify: async () => {} };
export const noopSearchIndexer: SearchIndexer = { upsert: async () => {}, remove: async () => {} };
