import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type OutpostApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { fixedClock } from '../src/server/lib/clock.ts';
import { silentLogger } from '../src/server/lib/logger.ts';
import { TEST_START } from './build-test-app.ts';
import { makeUser, TEST_PASSWORD } from './factories.ts';
import { canRunThrowawayPostgres, throwawayPostgres } from './throwaway-pg.ts';

/**
 * The database going away under load: requests get a clear 503 problem (never a hang or a 500), no
 * request is half-applied, and the app recovers by itself when the database returns.
 */
describe.runIf(canRunThrowawayPostgres())('PostgreSQL going away and coming back', () => {
  const pg = canRunThrowawayPostgres() ? throwawayPostgres(55_400 + (process.pid % 500)) : undefined;
  let app: OutpostApp;
  let cookie = '';

  beforeAll(async () => {
    if (!pg) return;
    const database = openDatabase({ dataDir: '/tmp', databaseUrl: pg.url });
    await migrateToLatest(database.db);
    app = await buildApp({
      config: loadConfig({ DATA_DIR: '/tmp', DATABASE_URL: pg.url }),
      database,
      clock: fixedClock(TEST_START),
      logger: silentLogger,
    });
    const user = await makeUser(app.services, 'admin');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    cookie = `outpost_session=${res.cookies[0]?.value}`;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    pg?.destroy();
  });

  it('answers 503 while it is down and recovers on its own', async () => {
    const create = (code: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/offices',
        headers: { cookie },
        payload: { code, name: `Office ${code}`, countries: ['GE'], timezone: 'UTC' },
      });
    expect((await create('UP1')).statusCode).toBe(201);

    pg?.stop('immediate');
    const during = await Promise.all(['DN1', 'DN2', 'DN3'].map(create));
    for (const res of during) {
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['retry-after']).toBeTruthy();
      expect(res.json().detail).toMatch(/database cannot be reached/);
    }
    const ready = await app.inject('/api/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().databaseReachable).toBe(false);

    pg?.start();
    let back = 0;
    for (let i = 0; i < 20 && back !== 201; i++) {
      back = (await create('UP2')).statusCode;
      if (back !== 201) await new Promise((r) => setTimeout(r, 250));
    }
    expect(back).toBe(201);
    expect((await app.inject('/api/ready')).statusCode).toBe(200);
    const list = (await app.inject({ url: '/api/v1/offices?limit=50', headers: { cookie } })).json();
    expect(list.items.map((o: { code: string }) => o.code).sort()).toEqual(['UP1', 'UP2']);
    const audit = (await app.inject({ url: '/api/v1/audit/verify', headers: { cookie } })).json();
    expect(audit.ok).toBe(true);
  }, 60_000);
});

describe('SQLite that cannot be written', () => {
  it('answers a clear 503 (disk full or read-only) and keeps the file intact', async () => {
    const { testDatabase } = await import('./test-db.ts');
    const tdb = await testDatabase('sqlite');
    const file = tdb.database.location;
    await tdb.database.close();
    const ro = openDatabase({ dataDir: tdb.dataDir, sqliteFile: file, readonly: true });
    const app = await buildApp({
      config: loadConfig({ DATA_DIR: tdb.dataDir }),
      database: ro,
      clock: fixedClock(TEST_START),
      logger: silentLogger,
    });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'x@example.org', password: 'whatever it is' },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().detail).toMatch(/disk is full or the file is read-only/);
      expect(ro.sqlite?.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      await app.close();
      await tdb.cleanup();
    }
  });
});
