import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';
import { OutpostSqliteDialect } from './sqlite-dialect.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Executor = Kysely<DB> | Transaction<DB>;

export interface Database_ {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Where the data lives, for messages: the SQLite file or the PostgreSQL URL without password. */
  location: string;
  /** The raw SQLite handle (online backup, integrity check); undefined on PostgreSQL. */
  sqlite?: Database.Database;
  /** SQLite's group commit so far: COMMITs and the transactions they carried (ADR 0013). */
  groupCommit?: () => { commits: number; transactions: number };
  /** The PostgreSQL schema in use (tests use their own). */
  pgSchema?: string;
  close(): Promise<void>;
}
export type { Database_ as OutpostDatabase };

export class DatabaseOpenError extends Error {}

// int8 (count(*), sums) arrives as a string by default; every count here fits in a JS number.
pg.types.setTypeParser(20, (v: string) => Number.parseInt(v, 10));

export const SQLITE_FILE = 'outpost.db';

export interface OpenOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** PostgreSQL schema to use instead of `public` (tests create one per run). */
  pgSchema?: string;
  /** Open the SQLite file read-only (integrity checks of backups). */
  readonly?: boolean;
  sqliteFile?: string;
}

/** Opens the database named by the configuration: PostgreSQL when a URL is given, else SQLite in the data directory. */
export function openDatabase(opts: OpenOptions): Database_ {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.pgSchema);
  return openSqlite(opts.sqliteFile ?? path.join(ensureDataDir(opts.dataDir), SQLITE_FILE), opts.readonly ?? false);
}

export function ensureDataDir(dataDir: string): string {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.R_OK | constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new DatabaseOpenError(
      `DATA_DIR ${dataDir} cannot be created or written (${code}). Choose a directory this user can write, e.g. DATA_DIR=./data`,
    );
  }
  return dataDir;
}

export function openSqlite(file: string, readonly = false): Database_ {
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly, fileMustExist: readonly });
    if (!readonly) {
      // WAL with synchronous=FULL: a commit is on disk before it is acknowledged (ADR 0003).
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = FULL');
    }
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
  } catch (e) {
    throw new DatabaseOpenError(`Cannot open the SQLite database ${file}: ${(e as Error).message}`);
  }
  const dialect = new OutpostSqliteDialect(sqlite, openReader(sqlite, file, readonly));
  const db = new Kysely<DB>({ dialect });
  return {
    db,
    dialect: 'sqlite',
    location: file,
    sqlite,
    groupCommit: () => dialect.groupCommits(),
    async close() {
      await db.destroy();
    },
  };
}

/** The second, read-only connection for reads outside transactions (see sqlite-dialect.ts). */
function openReader(writer: Database.Database, file: string, readonly: boolean): Database.Database {
  if (readonly || writer.memory) return writer;
  const reader = new Database(file, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  return reader;
}

export function openPostgres(url: string, schema?: string): Database_ {
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new DatabaseOpenError(`Bad PostgreSQL schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A connection lost under our feet (database restart, network) must not crash the process: idle
  // clients report through the pool, busy ones through themselves; the query in flight fails (503)
  // and the pool replaces the client.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let location = url;
  try {
    const u = new URL(url);
    u.password = '';
    location = u.toString();
  } catch {
    /* keep as given */
  }
  return {
    db,
    dialect: 'postgres',
    location,
    ...(schema ? { pgSchema: schema } : {}),
    async close() {
      await db.destroy();
    },
  };
}
