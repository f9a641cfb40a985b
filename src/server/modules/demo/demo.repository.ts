import { PostgresAdapter, sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { OfficesTable, PersonsTable, SitesTable, UserOfficesTable, UsersTable } from '../../db/schema.ts';

/**
 * Bulk writes for the demo generator: multi-row inserts inside the caller's transaction. Rows per
 * statement stay under SQLite's bound-parameter limit (32,766) and PostgreSQL's (65,535).
 */
async function insertChunked<T extends keyof Tables>(ex: Executor, table: T, rows: readonly Tables[T][], per: number) {
  for (let i = 0; i < rows.length; i += per)
    await ex
      .insertInto(table)
      // biome-ignore lint/suspicious/noExplicitAny: the row type is Tables[T], which Kysely cannot narrow from a generic table name
      .values(rows.slice(i, i + per) as any)
      .execute();
}

interface Tables {
  offices: OfficesTable;
  sites: SitesTable;
  persons: PersonsTable;
  users: UsersTable;
  user_offices: UserOfficesTable;
}

export interface DemoRows {
  offices: OfficesTable[];
  sites: SitesTable[];
  persons: PersonsTable[];
  users: UsersTable[];
  userOffices: UserOfficesTable[];
}

/** In foreign-key order: offices, sites, persons, users, their offices. */
export async function insertRows(ex: Executor, rows: DemoRows): Promise<void> {
  await insertChunked(ex, 'offices', rows.offices, 500);
  await insertChunked(ex, 'sites', rows.sites, 1000);
  await insertChunked(ex, 'persons', rows.persons, 1000);
  await insertChunked(ex, 'users', rows.users, 1000);
  await insertChunked(ex, 'user_offices', rows.userOffices, 1000);
}

/**
 * Planner statistics after a bulk load. PostgreSQL's autovacuum would gather them within minutes; until
 * then the planner guesses from an empty table (a 5,000-site page took 3 ms instead of 0.1 ms). SQLite
 * keeps no statistics unless ANALYZE is run, and Outpost never runs it, so it is left as in production.
 */
export async function refreshStatistics(ex: Executor): Promise<void> {
  if (ex.getExecutor().adapter instanceof PostgresAdapter) await sql`analyze`.execute(ex);
}
