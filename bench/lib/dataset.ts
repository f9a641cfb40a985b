import pg from 'pg';
import { loadConfig } from '../../src/server/config.ts';
import { openDatabase } from '../../src/server/db/database.ts';
import { migrateToLatest } from '../../src/server/db/migrate.ts';
import { systemCtx } from '../../src/server/lib/auth.ts';
import { systemClock } from '../../src/server/lib/clock.ts';
import { createDemoService, type DemoVolume } from '../../src/server/modules/demo/demo.service.ts';
import { createServices } from '../../src/server/services.ts';
import type { DatasetResult, Engine } from './results.ts';

export const BENCH_EMAIL = 'bench-admin@example.org';
export const BENCH_PASSWORD = 'benchmark password of enough length';

export const PG_URL = process.env.OUTPOST_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Dataset {
  engine: Engine;
  dataDir: string;
  /** For the server process: unset on SQLite; the URL with the schema in search_path on PostgreSQL. */
  databaseUrl?: string;
  /** The SQLite file, for the better-sqlite3 baseline. */
  sqliteFile?: string;
  pgSchema?: string;
  result: DatasetResult;
  drop(): Promise<void>;
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export function pgUrlWithSchema(schema: string): string {
  const u = new URL(PG_URL);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/**
 * A fresh database for one engine (SQLite file in `dataDir`, or a PostgreSQL schema of its own), migrated,
 * filled by the demo service's bulk generator, with an administrator who signs in with a password.
 */
export async function prepareDataset(
  engine: Engine,
  dataDir: string,
  volume: DemoVolume,
  seed: number,
  progress: (line: string) => void,
): Promise<Dataset> {
  const pgSchema = engine === 'postgres' ? `bench_${process.pid}_${Date.now().toString(36)}` : undefined;
  if (pgSchema) await admin(`create schema ${pgSchema}`);
  const database = openDatabase({
    dataDir,
    databaseUrl: pgSchema ? PG_URL : undefined,
    ...(pgSchema ? { pgSchema } : {}),
  });
  const drop = async () => {
    if (pgSchema) await admin(`drop schema if exists ${pgSchema} cascade`);
  };
  try {
    await migrateToLatest(database.db);
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const services = createServices({ database, clock: systemClock, config });
    const demo = createDemoService({ ...services, db: database.db, clock: systemClock });
    const started = performance.now();
    let lastReport = started;
    const r = await demo.generate(volume, seed, (done, total) => {
      if (performance.now() - lastReport > 5000 || done === total) {
        lastReport = performance.now();
        progress(`${engine}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} events`);
      }
    });
    const seconds = (performance.now() - started) / 1000;
    await services.users.create(systemCtx, {
      email: BENCH_EMAIL,
      displayName: 'Benchmark Admin',
      role: 'admin',
      password: BENCH_PASSWORD,
    });
    return {
      engine,
      dataDir,
      ...(pgSchema ? { databaseUrl: pgUrlWithSchema(pgSchema), pgSchema } : { sqliteFile: database.location }),
      result: {
        engine,
        volume: { ...volume },
        seconds,
        offices: r.offices.length,
        sites: r.sites,
        people: r.people,
        auditEntries: r.auditEntries ?? 0,
        listedOfficeSites: volume.sitesFirstOffice,
        incidents: r.bulkIncidents ?? 0,
      },
      drop,
    };
  } catch (err) {
    await database.close();
    await drop();
    throw err;
  } finally {
    await database.close().catch(() => {});
  }
}
