import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, signedInAs } from '../../../../test/factories.ts';
import { TEST_PG_URL, testDatabase, testEngines } from '../../../../test/test-db.ts';
import { openDatabase } from '../../db/database.ts';
import { systemCtx } from '../../lib/auth.ts';
import { fixedClock, systemClock } from '../../lib/clock.ts';
import { createLogger, silentLogger } from '../../lib/logger.ts';
import { createScheduler, outboxCron } from './scheduler.service.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe.each(testEngines())('scheduler on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp(engine);
  });
  afterAll(() => t.close());

  it('is not started by buildApp; its jobs are registered and listed for integration managers', async () => {
    expect(t.services.scheduler.started).toBe(false);
    const { headers } = await signedInAs(t, 'admin');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/admin/jobs', headers });
    expect(res.statusCode).toBe(200);
    const names = res.json().items.map((j: { name: string }) => j.name);
    expect(names).toEqual(expect.arrayContaining(['notifications.digest', 'notifications.outbox']));
    const digest = res.json().items.find((j: { name: string }) => j.name === 'notifications.digest');
    expect(digest).toMatchObject({ cron: '0 6 * * *', registered: true, running: false, nextRunAt: null, runs: 0 });
    await makeOffice(t.services, { code: 'SCH' });
    const staff = await signedInAs(t, 'staff', ['SCH']);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/jobs', headers: staff.headers })).statusCode).toBe(
      403,
    );
  });

  it('runs a job with the clock’s time and records the run', async () => {
    const clock = fixedClock('2026-11-28T06:00:00.000Z');
    const s = createScheduler({ database: t.db.database, logger: silentLogger, clock });
    const seen: string[] = [];
    s.register({ name: 'test.clock', cron: '0 6 * * *', run: async (now) => void seen.push(now.toISOString()) });
    expect(await s.runNow('test.clock')).toBe(true);
    expect(seen).toEqual(['2026-11-28T06:00:00.000Z']);
    const [st] = (await s.status(systemCtx)).filter((j) => j.name === 'test.clock');
    expect(st).toMatchObject({ runs: 1, failures: 0, lastSuccessAt: '2026-11-28T06:00:00.000Z', lastError: null });
    expect(() => s.register({ name: 'test.clock', cron: '* * * * *', run: async () => {} })).toThrow(/already/);
    expect(() => s.register({ name: 'test.bad', cron: 'every tuesday', run: async () => {} })).toThrow();
    await s.stop();
  });

  it('a job that throws is logged, recorded and retried soon with backoff — not dropped', async () => {
    const { logger, lines } = capturingLogger();
    const s = createScheduler({
      database: t.db.database,
      logger,
      clock: systemClock,
      options: { retryDelayMs: 50, maxRetryDelayMs: 200, quickRetries: 5 },
    });
    let calls = 0;
    const times: number[] = [];
    s.register({
      name: 'test.flaky',
      cron: '0 0 1 1 *', // once a year: only the quick retries can bring it back today
      run: async () => {
        calls++;
        times.push(Date.now());
        if (calls <= 2) throw new Error(`boom ${calls}`);
      },
    });
    s.start();
    await s.runNow('test.flaky');
    const deadline = Date.now() + 5000;
    while (calls < 3 && Date.now() < deadline) await sleep(20);
    expect(calls).toBe(3);
    // Backoff: the second retry waited longer than the first.
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(90);
    await sleep(50);
    const failures = lines.filter((l) => l.msg === 'scheduled job failed; it will be retried');
    expect(failures.map((l) => (l.err as { message: string }).message)).toEqual(['boom 1', 'boom 2']);
    expect(failures[0]?.job).toBe('test.flaky');
    const [st] = (await s.status(systemCtx)).filter((j) => j.name === 'test.flaky');
    expect(st).toMatchObject({ runs: 3, failures: 2, consecutiveFailures: 0, lastError: 'boom 2' });
    expect(st?.lastSuccessAt).not.toBeNull();
    expect(st?.nextRunAt).not.toBeNull();
    await s.stop();
  });

  it('ticks on its cron once started, never two runs of a job at once, and stop() waits for the run', async () => {
    const s = createScheduler({ database: t.db.database, logger: silentLogger, clock: systemClock });
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let finished = 0;
    s.register({
      name: 'test.tick',
      cron: outboxCron(1),
      run: async () => {
        active++;
        runs++;
        maxActive = Math.max(maxActive, active);
        await sleep(1500); // longer than the tick
        active--;
        finished++;
      },
    });
    s.start();
    s.trigger('test.tick');
    await sleep(2300);
    await s.stop();
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(maxActive).toBe(1);
    expect(finished).toBe(runs); // stop() returned only after the run in progress ended
    const after = runs;
    await sleep(1200);
    expect(runs).toBe(after); // stopped means stopped
  });

  it('the outbox pattern follows OUTBOX_POLL_SECONDS', () => {
    expect(outboxCron(60)).toBe('0 * * * * *');
    expect(outboxCron(5)).toBe('*/5 * * * * *');
  });
});

describe.skipIf(!testEngines().includes('postgres'))('scheduler across instances on PostgreSQL', () => {
  it('two schedulers on the same database run a job once at a time (advisory lock)', async () => {
    const db = await testDatabase('postgres');
    // A second instance: its own connection pool on the same schema, as another server process would have.
    const second = openDatabase({
      dataDir: db.dataDir,
      databaseUrl: TEST_PG_URL,
      pgSchema: db.database.pgSchema ?? '',
    });
    try {
      let runs = 0;
      let active = 0;
      let overlap = false;
      const job = {
        name: 'test.cluster',
        cron: '0 0 1 1 *',
        run: async () => {
          runs++;
          active++;
          if (active > 1) overlap = true;
          await sleep(400);
          active--;
        },
      };
      const a = createScheduler({ database: db.database, logger: silentLogger, clock: systemClock });
      const b = createScheduler({ database: second, logger: silentLogger, clock: systemClock });
      a.register(job);
      b.register(job);
      const [ranA, ranB] = await Promise.all([a.runNow('test.cluster'), b.runNow('test.cluster')]);
      expect(runs).toBe(1);
      expect([ranA, ranB].sort()).toEqual([false, true]);
      expect(overlap).toBe(false);
      // The lock is released after the run: the other instance takes the next one.
      expect(await (ranA ? b : a).runNow('test.cluster')).toBe(true);
      expect(runs).toBe(2);

      // Both started on a per-second cron for a while: never two runs at the same time.
      const ticking = { ...job, name: 'test.cluster.tick', cron: outboxCron(1) };
      a.register(ticking);
      b.register(ticking);
      runs = 0;
      a.start();
      b.start();
      await sleep(2600);
      await Promise.all([a.stop(), b.stop()]);
      expect(overlap).toBe(false);
      expect(runs).toBeGreaterThanOrEqual(2);
      expect(runs).toBeLessThanOrEqual(3);
    } finally {
      await second.close();
      await db.cleanup();
    }
  });
});
