import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { Cron } from 'croner';
import { sql } from 'kysely';
import type { JobStatus } from '../../../shared/scheduler/scheduler.contract.ts';
import type { OutpostDatabase } from '../../db/database.ts';
import { assertCan, type Ctx } from '../../lib/auth.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { JobDefinition } from '../../lib/ports.ts';
import * as repo from './scheduler.repository.ts';

/**
 * In-process scheduled jobs (croner). Each job runs at most once at a time in this process; on
 * PostgreSQL a session-level advisory lock (on a connection of its own, released after the run) makes
 * it once at a time across every instance — an instance that does not get the lock skips that tick.
 * SQLite is one instance by nature. A job that throws is logged, recorded (scheduler_jobs) and retried
 * soon with backoff, besides its next regular tick: never silently dropped.
 */
export interface Scheduler {
  /** Adds a job; allowed before and after start(). Names are unique. */
  register(job: JobDefinition): void;
  start(): void;
  /** Stops the timers and waits for runs in progress. */
  stop(): Promise<void>;
  /** Runs the job soon (e.g. the outbox right after something was queued); a no-op until started. */
  trigger(name: string): void;
  /** Runs the job once now, under the same lock; `false` when another run holds it. For tests and the CLI. */
  runNow(name: string): Promise<boolean>;
  status(ctx: Ctx): Promise<JobStatus[]>;
  readonly started: boolean;
}

export interface SchedulerOptions {
  /** First quick retry after a failure (ms), doubling up to maxRetryDelayMs; at most `quickRetries` times. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  quickRetries?: number;
}

interface Entry {
  def: JobDefinition;
  cron: Cron | null;
  running: Promise<boolean> | null;
  /** A trigger arrived while running: run once more afterwards. */
  again: boolean;
  retryTimer: NodeJS.Timeout | null;
  retries: number;
}

function lockKey(scope: string, name: string): string {
  return createHash('sha256').update(`outpost.job:${scope}:${name}`).digest().readBigInt64BE(0).toString();
}

export function createScheduler(deps: {
  database: OutpostDatabase;
  logger: Logger;
  clock: Clock;
  options?: SchedulerOptions;
}): Scheduler {
  const { database, logger, clock } = deps;
  const { db } = database;
  const retryDelayMs = deps.options?.retryDelayMs ?? 5_000;
  const maxRetryDelayMs = deps.options?.maxRetryDelayMs ?? 5 * 60_000;
  const quickRetries = deps.options?.quickRetries ?? 3;
  const instance = `${hostname()}:${process.pid}`;
  const scope = database.pgSchema ?? 'public';
  const jobs = new Map<string, Entry>();
  let started = false;
  let stopped = false;

  async function record(what: string, f: () => Promise<void>) {
    try {
      await f();
    } catch (err) {
      logger.warn({ err, what }, 'scheduler: cannot record job status');
    }
  }

  /** Runs the body holding the cluster-wide lock; false when another instance holds it. */
  async function withLock(name: string, body: () => Promise<void>): Promise<boolean> {
    if (database.dialect !== 'postgres') {
      await body();
      return true;
    }
    const key = lockKey(scope, name);
    return db.connection().execute(async (conn) => {
      const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${key}::bigint) as ok`.execute(conn);
      if (!got.rows[0]?.ok) return false;
      try {
        await body();
      } finally {
        await sql`select pg_advisory_unlock(${key}::bigint)`.execute(conn).catch(() => {});
      }
      return true;
    });
  }

  function scheduleRetry(e: Entry) {
    if (stopped || !started || e.retryTimer || e.retries >= quickRetries) return;
    const delay = Math.min(retryDelayMs * 2 ** e.retries, maxRetryDelayMs);
    e.retries++;
    e.retryTimer = setTimeout(() => {
      e.retryTimer = null;
      void run(e, 'retry');
    }, delay);
    e.retryTimer.unref();
  }

  async function runOnce(e: Entry, reason: string): Promise<boolean> {
    const name = e.def.name;
    let error: unknown = null;
    const ran = await withLock(name, async () => {
      const now = clock.now();
      await record('start', () => repo.started(db, name, e.def.cron, now.toISOString(), instance));
      try {
        await e.def.run(now);
      } catch (err) {
        error = err;
      }
      const at = clock.now().toISOString();
      if (error) {
        const message = error instanceof Error ? error.message : String(error);
        logger.error({ err: error, job: name, reason }, 'scheduled job failed; it will be retried');
        await record('failure', () => repo.failed(db, name, at, message.slice(0, 2000)));
      } else {
        await record('success', () => repo.succeeded(db, name, at));
      }
    }).catch((err: unknown) => {
      // The lock itself could not be taken (database unreachable): a failure like any other.
      error = err;
      logger.error({ err, job: name, reason }, 'scheduled job could not start; it will be retried');
      return true;
    });
    if (error) scheduleRetry(e);
    else if (ran) e.retries = 0;
    return ran;
  }

  async function run(e: Entry, reason: string): Promise<boolean> {
    if (e.running) {
      if (reason === 'trigger') e.again = true;
      return false;
    }
    const p = (async () => {
      let ran = await runOnce(e, reason);
      while (e.again && !stopped) {
        e.again = false;
        ran = (await runOnce(e, 'trigger')) || ran;
      }
      return ran;
    })();
    e.running = p;
    try {
      return await p;
    } finally {
      e.running = null;
    }
  }

  function schedule(e: Entry) {
    e.cron = new Cron(e.def.cron, { name: undefined, unref: true }, () => {
      void run(e, 'tick');
    });
    void record('register', () => repo.ensure(db, e.def.name, e.def.cron));
  }

  return {
    get started() {
      return started && !stopped;
    },

    register(def) {
      if (jobs.has(def.name)) throw new Error(`a job named ${def.name} is already registered`);
      // Fails here, at registration, on a bad pattern rather than silently never running.
      new Cron(def.cron, { paused: true }).stop();
      const e: Entry = { def, cron: null, running: null, again: false, retryTimer: null, retries: 0 };
      jobs.set(def.name, e);
      if (started && !stopped) schedule(e);
    },

    start() {
      if (started) return;
      started = true;
      for (const e of jobs.values()) schedule(e);
      logger.info({ jobs: [...jobs.keys()] }, 'scheduler started');
    },

    async stop() {
      stopped = true;
      for (const e of jobs.values()) {
        e.cron?.stop();
        e.cron = null;
        if (e.retryTimer) clearTimeout(e.retryTimer);
        e.retryTimer = null;
        e.again = false;
      }
      await Promise.allSettled([...jobs.values()].map((e) => e.running));
    },

    trigger(name) {
      const e = jobs.get(name);
      if (!e || !started || stopped) return;
      void run(e, 'trigger');
    },

    async runNow(name) {
      const e = jobs.get(name);
      if (!e) throw new Error(`no job named ${name}`);
      if (e.running) await e.running.catch(() => {});
      return run(e, 'manual');
    },

    async status(ctx) {
      assertCan(ctx, 'integration.manage');
      const rows = new Map((await repo.all(db)).map((r) => [r.name, r]));
      const names = [...new Set([...jobs.keys(), ...rows.keys()])].sort();
      return names.map((name) => {
        const e = jobs.get(name);
        const r = rows.get(name);
        const next = e?.cron?.nextRun() ?? null;
        return {
          name,
          cron: e?.def.cron ?? r?.cron ?? '',
          registered: Boolean(e),
          running: Boolean(e?.running),
          nextRunAt: next ? next.toISOString() : null,
          lastStartedAt: r?.last_started_at ?? null,
          lastFinishedAt: r?.last_finished_at ?? null,
          lastSuccessAt: r?.last_success_at ?? null,
          lastError: r?.last_error ?? null,
          lastErrorAt: r?.last_error_at ?? null,
          lastInstance: r?.last_instance ?? null,
          runs: r?.runs ?? 0,
          failures: r?.failures ?? 0,
          consecutiveFailures: r?.consecutive_failures ?? 0,
        };
      });
    },
  };
}

/** A croner pattern running every `seconds` (1–60): `*\/5 * * * * *`, or every minute for 60. */
export function outboxCron(seconds: number): string {
  return seconds >= 60 ? '0 * * * * *' : `*/${seconds} * * * * *`;
}
