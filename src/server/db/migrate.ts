import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import * as m0001 from './migrations/0001-initial.ts';
import * as m0002 from './migrations/0002-audit-append-only.ts';
import * as m0003 from './migrations/0003-identity.ts';
import * as m0004 from './migrations/0004-passkeys.ts';
import * as m0005 from './migrations/0005-tasks.ts';
import * as m0006 from './migrations/0006-notifications.ts';
import * as m0007 from './migrations/0007-attachments.ts';
import * as m0008 from './migrations/0008-checklists.ts';
import * as m0009 from './migrations/0009-search.ts';
import * as m0010 from './migrations/0010-incidents.ts';
import * as m0011 from './migrations/0011-incident-escalation.ts';
import * as m0012 from './migrations/0012-incident-investigation.ts';
import * as m0013 from './migrations/0013-incident-reports.ts';
import type { DB } from './schema.ts';

/** The one migration chain, in order. Names are permanent: never rename or edit a shipped migration. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-audit-append-only': m0002,
  '0003-identity': m0003,
  '0004-passkeys': m0004,
  '0005-tasks': m0005,
  '0006-notifications': m0006,
  '0007-attachments': m0007,
  '0008-checklists': m0008,
  '0009-search': m0009,
  '0010-incidents': m0010,
  '0011-incident-escalation': m0011,
  '0012-incident-investigation': m0012,
  '0013-incident-reports': m0013,
};

async function migrator(db: Kysely<DB>): Promise<Migrator> {
  let migrationTableSchema: string | undefined;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // Kysely looks for its tables in every schema unless told which: pin it to ours, so that
    // several installations (or test runs) in one PostgreSQL database never see each other's.
    const r = await sql<{ s: string }>`select current_schema() as s`.execute(db);
    migrationTableSchema = r.rows[0]?.s;
  }
  return new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
}

export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const { error, results } = await (await migrator(db)).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function pendingMigrations(db: Kysely<DB>): Promise<string[]> {
  const all = await (await migrator(db)).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
