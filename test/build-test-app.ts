import { buildApp, type OutpostApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import type { Dialect } from '../src/server/db/database.ts';
import { type Clock, fixedClock } from '../src/server/lib/clock.ts';
import { silentLogger } from '../src/server/lib/logger.ts';
import type { Services } from '../src/server/services.ts';
import { type TestDatabase, testDatabase } from './test-db.ts';

export interface TestApp {
  app: OutpostApp;
  services: Services;
  db: TestDatabase;
  clock: ReturnType<typeof fixedClock>;
  close(): Promise<void>;
}

export const TEST_START = '2026-11-28T09:00:00.000Z';

/** The real app on a fresh database, driven with app.inject(); only the clock is fake. */
export async function buildTestApp(
  engine: Dialect,
  opts: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const db = await testDatabase(engine);
  const clock = fixedClock(TEST_START);
  const config = loadConfig({ DATA_DIR: db.dataDir, LOG_LEVEL: 'silent', ...opts.env });
  const app = await buildApp({
    config,
    database: db.database,
    clock: opts.clock ?? clock,
    logger: silentLogger,
    webDist: '/nonexistent',
  });
  await app.ready();
  return {
    app,
    services: app.services,
    db,
    clock,
    async close() {
      await app.close();
      await db.cleanup();
    },
  };
}
