import type { Executor } from '../../db/database.ts';
import type { IncidentRow } from '../../db/tables/incidents.ts';
import type { Ctx } from '../../lib/auth.ts';

/**
 * The seams inside the incident module (issue #5): the core record owns who may see and change an
 * incident; escalation, investigation and reports plug in through these two interfaces and never read
 * the access rules themselves.
 */

/** What the caller wants to do with an incident. */
export type IncidentNeed =
  /** See it (and its timeline, evidence list, communications). */
  | 'read'
  /** Change it or add to its investigation. */
  | 'write';

export interface IncidentAccess {
  /**
   * The incident as the caller may see it, or NotFound (404) when it does not exist *for them*: another
   * office, a sensitive incident they are not named on, or (staff) someone else's report. `write` throws
   * Forbidden (403) when they may see it but not change it.
   */
  require(ex: Executor, ctx: Ctx, incidentId: string, need: IncidentNeed): Promise<IncidentRow>;
  /** The same rule as a predicate on a row already read (lists, exports). */
  canSee(ctx: Ctx, row: IncidentRow, namedUserIds: readonly string[]): boolean;
  /** Users named on a sensitive incident (besides owner, reporter and reviewer). */
  namedUsers(ex: Executor, incidentId: string): Promise<string[]>;
  /** The same for several incidents at once (lists, exports, queues): incident id → user ids. */
  namedUsersOf(ex: Executor, incidentIds: readonly string[]): Promise<Map<string, string[]>>;
}

/** One change to the core record, inside the transaction that made it. `before` is null for a new incident. */
export interface IncidentChange {
  before: IncidentRow | null;
  after: IncidentRow;
}

/**
 * Called in the changing transaction after every create/update/transition of an incident (escalation
 * timers, search, notifications). A listener that throws rolls the change back: keep them to writes in
 * the same database, never network calls (those go through the outbox).
 */
export type IncidentListener = (ex: Executor, ctx: Ctx, change: IncidentChange) => Promise<void>;
