import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { z } from 'zod';
import type { OutpostDatabase } from '../../db/database.ts';
import { MIGRATIONS, migrateToLatest } from '../../db/migrate.ts';
import type { DB } from '../../db/schema.ts';
import { snapshotSqlite } from '../../db/snapshot.ts';
import type { Clock } from '../../lib/clock.ts';
import { Conflict, Invalid } from '../../lib/errors.ts';
import { copyBlobs, isSha256, listBlobs } from '../attachments/attachments.blobs.ts';

/** Tables in dependency order (parents first): restore inserts in this order and deletes in reverse. */
export const TABLES: (keyof DB)[] = [
  'offices',
  'sites',
  'persons',
  'users',
  'user_offices',
  'sessions',
  'audit_log',
  'instance_settings',
  'login_throttle',
  'api_tokens',
  'user_mfa',
  'recovery_codes',
  'webauthn_credentials',
  'webauthn_challenges',
  'password_resets',
  'task_series',
  'tasks',
  'task_comments',
  'calendar_feeds',
  'notifications',
  'notification_outbox',
  'notification_attempts',
  'notification_preferences',
  'webhooks',
  'smtp_settings',
  'scheduler_jobs',
  'attachments',
  'checklist_templates',
  'checklist_template_versions',
  'checklist_runs',
  'checklist_answers',
  'checklist_item_tasks',
  'incident_categories',
  'incidents',
  'incident_access',
  'incident_persons',
  'escalation_rules',
  'incident_escalations',
  // incident escalation (0011), investigation (0012) and report (0013) tables go here, parents first
  'incident_timeline',
  'incident_evidence',
  'incident_custody',
  'incident_communications',
  'incident_links',
  'incident_task_templates',
  'incident_applied_tasks',
  'incident_report_templates',
  'search_documents',
];

/**
 * Tables that are indexes derived from others, neither backed up nor restored: the SQLite full-text
 * index of search_documents (an FTS5 table and its shadow tables), which triggers rebuild row by row
 * as a restore inserts search_documents (a SQLite file backup copies it as it is).
 */
export const DERIVED_TABLES: readonly string[] = [
  'search_fts',
  'search_fts_config',
  'search_fts_data',
  'search_fts_docsize',
  'search_fts_idx',
];

function withBlobs(blobs: BlobCopyResult | undefined): { blobs?: BlobCopyResult } {
  return blobs ? { blobs } : {};
}

const ORDER_BY: Partial<Record<keyof DB, string>> = {
  audit_log: 'seq',
  user_offices: 'user_id',
  instance_settings: 'key',
  login_throttle: 'key',
  user_mfa: 'user_id',
  webauthn_challenges: 'challenge',
  password_resets: 'token_hash',
  notification_preferences: 'user_id',
  scheduler_jobs: 'name',
  incident_access: 'incident_id',
  escalation_rules: 'office_id',
  incident_report_templates: 'office_id',
};

export const LOGICAL_BACKUP_FORMAT = 'outpost.logical-backup';

const LogicalBackupSchema = z.object({
  format: z.literal(LOGICAL_BACKUP_FORMAT),
  formatVersion: z.literal(1),
  createdAt: z.string(),
  migrations: z.array(z.string()),
  tables: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
});

export type BackupResult = {
  kind: 'sqlite' | 'logical';
  file: string;
  bytes: number;
  counts: Record<string, number>;
  /** Attachment files copied next to the backup, in `<file>.blobs/` (absent when no data directory was given). */
  blobs?: BlobCopyResult;
};

export type BlobCopyResult = { dir: string; copied: number; skipped: number; damaged: string[]; missing: string[] };

/** Where a backup's attachment files go: a directory next to it, laid out like DATA_DIR/blobs. */
export function blobDirOf(file: string): string {
  return `${file}.blobs`;
}

function isSqliteFile(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    return buf.toString('latin1') === 'SQLite format 3\0';
  } finally {
    closeSync(fd);
  }
}

async function countRows(database: OutpostDatabase): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of TABLES) {
    const r = await database.db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[t] = Number(r.n);
  }
  return counts;
}

/**
 * Backup and restore of a whole installation. SQLite: SQLite's online backup API, consistent while the
 * server writes. PostgreSQL: a logical export of every table as JSON, taken in one repeatable-read
 * transaction (ADR 0004).
 */
export function createBackupService(deps: { database: OutpostDatabase; clock: Clock; dataDir?: string }) {
  const { database, clock } = deps;
  const liveBlobs = deps.dataDir ? path.join(deps.dataDir, 'blobs') : undefined;

  async function referencedBlobs(rows: readonly Record<string, unknown>[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const r of rows)
      for (const k of ['sha256', 'thumb_sha256'])
        if (typeof r[k] === 'string' && isSha256(r[k] as string)) out.add(r[k] as string);
    return out;
  }

  /**
   * Attachments' files (content-addressed, immutable) are copied after the database: a row in the
   * backup was committed after its file was stored, so every file the backup refers to exists by now.
   */
  async function backupBlobs(file: string): Promise<BlobCopyResult | undefined> {
    if (!liveBlobs) return undefined;
    const dir = blobDirOf(file);
    const r = await copyBlobs(liveBlobs, dir, await listBlobs(liveBlobs));
    return { dir, ...r, missing: [] };
  }

  return {
    async backup(file: string, opts: { force?: boolean } = {}): Promise<BackupResult> {
      if (existsSync(file) && !opts.force)
        throw new Conflict(`${file} already exists; choose another name or pass --force.`);
      const tmp = `${file}.partial`;
      rmSync(tmp, { force: true });
      if (database.sqlite) {
        await snapshotSqlite(database.location, tmp);
        // Checked, and counted, in the copy itself: the counts are the backup's moment, not today's.
        const check = new Database(tmp, { readonly: true });
        const counts: Record<string, number> = {};
        try {
          const ok = check.pragma('integrity_check', { simple: true });
          if (ok !== 'ok') throw new Error(`the backup failed its integrity check: ${String(ok)}`);
          for (const t of TABLES)
            counts[t] = (check.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n;
        } finally {
          check.close();
        }
        renameSync(tmp, file);
        return { kind: 'sqlite', file, bytes: statSync(file).size, counts, ...withBlobs(await backupBlobs(file)) };
      }
      const dump = await database.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          const tables: Record<string, unknown[]> = {};
          for (const t of TABLES) {
            const key = ORDER_BY[t] ?? 'id';
            // biome-ignore lint/suspicious/noExplicitAny: every table has the ordering column chosen above
            const ordering = key as any;
            tables[t] = await trx.selectFrom(t).selectAll().orderBy(ordering).execute();
          }
          return tables;
        });
      const body = {
        format: LOGICAL_BACKUP_FORMAT,
        formatVersion: 1,
        createdAt: clock.now().toISOString(),
        migrations: Object.keys(MIGRATIONS),
        tables: dump,
      };
      const { writeFileSync, fsyncSync } = await import('node:fs');
      writeFileSync(tmp, `${JSON.stringify(body)}\n`);
      const fd = openSync(tmp, 'r');
      fsyncSync(fd);
      closeSync(fd);
      renameSync(tmp, file);
      const counts = Object.fromEntries(Object.entries(dump).map(([k, v]) => [k, v.length]));
      return { kind: 'logical', file, bytes: statSync(file).size, counts, ...withBlobs(await backupBlobs(file)) };
    },

    /**
     * Replaces the installation's data with the backup. Refuses to overwrite a database that has data
     * unless `force`. The server must be stopped (the CLI says so).
     */
    async restore(
      file: string,
      opts: { force?: boolean } = {},
    ): Promise<{ counts: Record<string, number>; blobs?: BlobCopyResult }> {
      if (!existsSync(file)) throw new Invalid(`${file} does not exist.`);
      const existing = await countRows(database).catch(() => undefined);
      const hasData = existing ? Object.values(existing).some((n) => n > 0) : false;
      if (hasData && !opts.force) {
        throw new Conflict(
          'The database already holds data; stop the server and pass --force to replace it with the backup.',
        );
      }
      let tables: Record<string, Record<string, unknown>[]>;
      if (isSqliteFile(file)) {
        try {
          const src = new Database(file, { readonly: true, fileMustExist: true });
          try {
            const ok = src.pragma('integrity_check', { simple: true });
            if (ok !== 'ok')
              throw new Invalid(`${file} is damaged (integrity check: ${String(ok)}); nothing was restored.`);
            tables = {};
            for (const t of TABLES) {
              try {
                tables[t] = src.prepare(`select * from "${t}"`).all() as Record<string, unknown>[];
              } catch {
                throw new Invalid(`${file} is not an Outpost backup (no table ${t}); nothing was restored.`);
              }
            }
          } finally {
            src.close();
          }
        } catch (e) {
          if (e instanceof Invalid) throw e;
          // A SQLite header on a damaged or forged file: SQLite's own error, said as a refusal.
          throw new Invalid(
            `${file} cannot be read as a SQLite backup (${(e as Error).message}); nothing was restored.`,
          );
        }
      } else {
        let parsed: z.infer<typeof LogicalBackupSchema>;
        try {
          parsed = LogicalBackupSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
        } catch {
          throw new Invalid(
            `${file} is neither an Outpost SQLite backup nor an Outpost logical backup; nothing was restored.`,
          );
        }
        const unknown = parsed.migrations.filter((m) => !(m in MIGRATIONS));
        if (unknown.length)
          throw new Invalid(`The backup comes from a newer Outpost (migrations ${unknown.join(', ')}); upgrade first.`);
        tables = parsed.tables as Record<string, Record<string, unknown>[]>;
      }
      await migrateToLatest(database.db);
      await database.db.transaction().execute(async (trx) => {
        // The append-only guard on PostgreSQL is lifted for this transaction only.
        if (database.dialect === 'postgres')
          await sql`alter table audit_log disable trigger audit_log_append_only`.execute(trx);
        for (const t of [...TABLES].reverse()) await trx.deleteFrom(t).execute();
        for (const t of TABLES) {
          const rows = tables[t] ?? [];
          for (let i = 0; i < rows.length; i += 100) {
            // biome-ignore lint/suspicious/noExplicitAny: rows come from the same schema, checked by the insert itself
            const batch = rows.slice(i, i + 100) as any;
            try {
              await trx.insertInto(t).values(batch).execute();
            } catch (e) {
              // Rows that do not fit their table (a damaged or forged backup): the transaction rolls back.
              throw new Invalid(
                `Table ${t} of the backup cannot be written (${(e as Error).message.slice(0, 300)}); nothing was restored.`,
              );
            }
          }
        }
      });
      if (database.sqlite) await sql`pragma wal_checkpoint(TRUNCATE)`.execute(database.db);
      let blobs: BlobCopyResult | undefined;
      if (liveBlobs) {
        // Files come back from `<file>.blobs/` (checked against their hashes); any the restored rows
        // refer to that are still not in the store are reported, not silently lost.
        const dir = blobDirOf(file);
        const r = await copyBlobs(dir, liveBlobs, await listBlobs(dir));
        const wanted = await referencedBlobs(
          await database.db.selectFrom('attachments').select(['sha256', 'thumb_sha256']).execute(),
        );
        const present = new Set(await listBlobs(liveBlobs));
        blobs = { dir, ...r, missing: [...wanted].filter((h) => !present.has(h)) };
      }
      return { counts: await countRows(database), ...withBlobs(blobs) };
    },

    countRows: () => countRows(database),
  };
}
