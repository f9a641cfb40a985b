import type { Kysely } from 'kysely';
import type {
  AuditAction,
  AuditEntityType,
  AuditEntry as AuditEntryOut,
  AuditFilter,
} from '../../../shared/audit/audit.schemas.ts';
import type { Dialect, Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { assertCan, assertOffice, type Ctx, visibleOfficeIds } from '../../lib/auth.ts';
import { type Clock, isoNow } from '../../lib/clock.ts';
import { Invalid } from '../../lib/errors.ts';
import { newId, sha256Hex } from '../../lib/ids.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import * as repo from './audit.repository.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** Fields never written to the audit trail, whatever the record. */
const SECRET_FIELDS = new Set(['password', 'password_hash', 'passwordHash', 'token', 'secret']);

export interface AuditEntry {
  action: AuditAction;
  entityType: AuditEntityType;
  entityId?: string | null;
  officeId?: string | null;
  /** `{ field: [before, after] }` for updates, or the created/deleted record, or a small summary. */
  changes?: Record<string, unknown> | null;
  /** Who, when there is no signed-in actor (e.g. the e-mail tried in a failed sign-in). */
  actorLabel?: string;
}

/** Before/after of the fields that changed; secrets left out. */
export function diff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const k of Object.keys(after)) {
    if (SECRET_FIELDS.has(k) || k === 'version' || k === 'updatedAt' || k === 'updated_at') continue;
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) out[k] = [before[k] ?? null, after[k] ?? null];
  }
  return out;
}

export function redact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !SECRET_FIELDS.has(k)));
}

/** The hash of one entry covers every field and the previous hash, so any edit or removal breaks the chain. */
export function entryHash(row: Omit<repo.AuditRow, 'hash'>): string {
  return sha256Hex(
    JSON.stringify([
      row.seq,
      row.id,
      row.at,
      row.actor_user_id,
      row.actor_label,
      row.action,
      row.entity_type,
      row.entity_id,
      row.office_id,
      row.request_id,
      row.changes,
      row.prev_hash,
    ]),
  );
}

export interface AuditService {
  list(
    ctx: Ctx,
    f: AuditFilter & { limit: number; cursor?: string | undefined },
  ): Promise<{ items: AuditEntryOut[]; nextCursor: string | null }>;
  exportCsv(ctx: Ctx, f: AuditFilter): Promise<string>;
  verifyFor(ctx: Ctx): Promise<{ ok: boolean; entries: number; brokenAt?: number; reason?: string }>;
  /** Appends to the chain inside the caller's transaction: the entry commits with the change or not at all. */
  record(ex: Executor, ctx: Ctx, entry: AuditEntry): Promise<void>;
  /**
   * Appends many entries in order, in the caller's transaction, with multi-row inserts (bulk loads such as the
   * demo generator). `at` and `id` may be given for records of the past (a generated history); otherwise now and new.
   */
  recordMany(ex: Executor, ctx: Ctx, entries: readonly (AuditEntry & { at?: string; id?: string })[]): Promise<void>;
  verify(
    ex: Executor,
  ): Promise<{ ok: true; entries: number } | { ok: false; entries: number; brokenAt: number; reason: string }>;
}

const EXPORT_MAX = 100_000;

function toEntry(r: repo.AuditRow): AuditEntryOut {
  return {
    seq: r.seq,
    id: r.id,
    at: r.at,
    actorUserId: r.actor_user_id,
    actorLabel: r.actor_label,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    officeId: r.office_id,
    requestId: r.request_id,
    changes: r.changes ? (JSON.parse(r.changes) as unknown) : null,
    hash: r.hash,
  };
}

/** RFC 4180 field; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvField(v: unknown): string {
  let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function createAuditService(deps: { db: Kysely<DB>; dialect: Dialect; clock: Clock }): AuditService {
  const { db } = deps;
  /** The entry as it is stored, without its own hash. */
  const chained = (
    ctx: Ctx,
    entry: AuditEntry & { at?: string; id?: string },
    seq: number,
    prevHash: string,
  ): Omit<repo.AuditRow, 'hash'> => ({
    seq,
    id: entry.id ?? newId(),
    at: entry.at ?? isoNow(deps.clock),
    actor_user_id: ctx.actor?.userId ?? null,
    actor_label: entry.actorLabel ?? ctx.actor?.email ?? 'system',
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId ?? null,
    office_id: entry.officeId ?? null,
    request_id: ctx.requestId,
    changes: entry.changes ? JSON.stringify(redact(entry.changes)) : null,
    prev_hash: prevHash,
  });
  const query = (ctx: Ctx, f: AuditFilter) => {
    assertCan(ctx, 'audit.read');
    if (f.officeId) assertOffice(ctx, f.officeId);
    return { ...f, visibleOfficeIds: visibleOfficeIds(ctx) };
  };
  return {
    async list(ctx, f) {
      const q = query(ctx, f);
      const beforeSeq = f.cursor === undefined ? undefined : Number(decodeCursor(f.cursor)?.v);
      if (beforeSeq !== undefined && !Number.isInteger(beforeSeq)) throw new Invalid('The cursor is not valid.');
      const rows = await repo.search(db, { ...q, beforeSeq, limit: f.limit + 1 });
      return toPage(
        rows.map((r) => ({ ...r, id: r.id })),
        f.limit,
        (r) => r.seq,
        toEntry,
      );
    },

    async exportCsv(ctx, f) {
      const q = query(ctx, f);
      return db.transaction().execute(async (ex) => {
        const rows = await repo.search(ex, { ...q, limit: EXPORT_MAX });
        const header = [
          'seq',
          'at',
          'actor',
          'action',
          'entity_type',
          'entity_id',
          'office_id',
          'request_id',
          'changes',
          'hash',
        ];
        const lines = [header.join(',')];
        for (const r of rows) {
          lines.push(
            [
              r.seq,
              r.at,
              r.actor_label,
              r.action,
              r.entity_type,
              r.entity_id,
              r.office_id,
              r.request_id,
              r.changes,
              r.hash,
            ]
              .map(csvField)
              .join(','),
          );
        }
        await this.record(ex, ctx, {
          action: 'audit.export',
          entityType: 'audit',
          officeId: f.officeId ?? null,
          changes: { rows: rows.length, filter: f },
        });
        return `${lines.join('\r\n')}\r\n`;
      });
    },

    async verifyFor(ctx) {
      assertCan(ctx, 'audit.read');
      return this.verify(db);
    },

    async record(ex, ctx, entry) {
      await repo.lockChain(ex, deps.dialect);
      const last = await repo.lastEntry(ex);
      const base = chained(ctx, entry, (last?.seq ?? 0) + 1, last?.hash ?? GENESIS_HASH);
      await repo.insertEntry(ex, { ...base, hash: entryHash(base) });
    },

    async recordMany(ex, ctx, entries) {
      if (entries.length === 0) return;
      await repo.lockChain(ex, deps.dialect);
      const last = await repo.lastEntry(ex);
      let seq = last?.seq ?? 0;
      let prev = last?.hash ?? GENESIS_HASH;
      const rows: repo.AuditRow[] = [];
      for (const entry of entries) {
        const base = chained(ctx, entry, ++seq, prev);
        prev = entryHash(base);
        rows.push({ ...base, hash: prev });
      }
      await repo.insertEntries(ex, rows);
    },

    async verify(ex) {
      let prev = GENESIS_HASH;
      let expectedSeq = 1;
      let n = 0;
      for (;;) {
        const batch = await repo.entriesFrom(ex, expectedSeq - 1, 5000);
        if (batch.length === 0) return { ok: true, entries: n };
        for (const row of batch) {
          if (row.seq !== expectedSeq)
            return { ok: false, entries: n, brokenAt: expectedSeq, reason: `entry ${expectedSeq} is missing` };
          if (row.prev_hash !== prev)
            return { ok: false, entries: n, brokenAt: row.seq, reason: 'previous-hash link does not match' };
          const { hash, ...rest } = row;
          if (entryHash(rest) !== hash)
            return { ok: false, entries: n, brokenAt: row.seq, reason: 'entry content does not match its hash' };
          prev = hash;
          expectedSeq++;
          n++;
        }
      }
    },
  };
}
