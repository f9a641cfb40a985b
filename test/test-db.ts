import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Dialect, type OutpostDatabase, openDatabase } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';

export const TEST_PG_URL = process.env.OUTPOST_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The engines this run tests against. The global setup decides: PostgreSQL is always in CI
 * (an unreachable server fails the run there) and on a developer machine when it answers.
 */
export function testEngines(): Dialect[] {
  return process.env.OUTPOST_TEST_PG === '0' ? ['sqlite'] : ['sqlite', 'postgres'];
}

export interface TestDatabase {
  database: OutpostDatabase;
  dataDir: string;
  /** Closes the connection and drops everything the test made (the temp dir, the PostgreSQL schema). */
  cleanup(): Promise<void>;
}

/** A fresh, migrated database: SQLite in its own temp directory, or a PostgreSQL schema of its own. */
export async function testDatabase(engine: Dialect, opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'outpost-test-'));
  let database: OutpostDatabase;
  let schema: string | undefined;
  if (engine === 'postgres') {
    schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    await adminQuery(`create schema ${schema}`);
    database = openDatabase({ dataDir, databaseUrl: TEST_PG_URL, pgSchema: schema });
  } else {
    database = openDatabase({ dataDir });
  }
  if (opts.migrate !== false) await migrateToLatest(database.db);
  return {
    database,
    dataDir,
    async cleanup() {
      await database.close();
      if (schema) await adminQuery(`drop schema if exists ${schema} cascade`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
