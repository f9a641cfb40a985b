import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import { bootstrapDatabase } from './boot.ts';
import { ensureFirstAdmin } from './bootstrap.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { DatabaseOpenError } from './db/database.ts';
import { systemClock } from './lib/clock.ts';
import { createLogger } from './lib/logger.ts';

/** Starts Outpost: config → database (migrated) → first admin → HTTP; stops cleanly on SIGTERM/SIGINT. */
export async function serve(config: Config): Promise<void> {
  const started = performance.now();
  const logger = createLogger(config.LOG_LEVEL);
  const database = await bootstrapDatabase(config, logger);
  const app = await buildApp({ config, database, clock: systemClock, logger });
  const admin = await ensureFirstAdmin(app.services);
  const seeded = await app.services.checklists.ensureBuiltInTemplates();
  if (seeded.length) logger.info({ templates: seeded }, 'built-in checklist templates added');
  const categories = await app.services.incidents.categories.ensureBuiltInCategories();
  if (categories.length) logger.info({ categories: categories.length }, 'built-in incident categories added');
  await app.listen({ port: config.PORT, host: config.HOST });
  // Scheduled jobs (outbox delivery, digests, reminders…) run in the server process only, never in the CLI or tests' apps.
  app.services.scheduler.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info(
    {
      url: config.baseUrl,
      port,
      database: database.dialect,
      location: database.location,
      readyMs: Math.round(performance.now() - started),
    },
    'Outpost is ready',
  );
  if (admin) {
    // Shown once, on the very first start; never logged again.
    process.stdout.write(
      [
        '',
        '  ┌───────────────────────────────────────────────────────────────',
        '  │ Outpost: first start. The first administrator has been created.',
        `  │   sign in at  ${config.baseUrl}/login`,
        `  │   e-mail      ${admin.email}`,
        `  │   password    ${admin.password}   (one-time: you will set your own)`,
        '  │ This password is shown only now.',
        '  └───────────────────────────────────────────────────────────────',
        '',
        '',
      ].join('\n'),
    );
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    force.unref();
    app.services.scheduler
      .stop()
      .then(() => app.close())
      .then(() => database.close())
      .then(() => {
        logger.info('stopped cleanly');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'error while shutting down');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Turns start-up failures a user can fix into one clear line and exit code 2. */
export function explainStartError(err: unknown): { message: string; code: number } {
  if (err instanceof ConfigError || err instanceof DatabaseOpenError) return { message: err.message, code: 2 };
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EADDRINUSE')
    return { message: `The port is already in use (${e.message}). Set PORT to a free port.`, code: 2 };
  if (e?.code === 'EACCES') return { message: `Permission denied: ${e.message}`, code: 2 };
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND' || e?.code === '28P01' || e?.code === '3D000') {
    return { message: `Cannot reach the PostgreSQL database named by DATABASE_URL: ${e.message}`, code: 2 };
  }
  const detail =
    process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace'
      ? (e?.stack ?? String(err))
      : (e?.message ?? String(err));
  return { message: `failed: ${detail} (set LOG_LEVEL=debug for details)`, code: 1 };
}

function isMain(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  try {
    await serve(loadConfig());
  } catch (err) {
    const { message, code } = explainStartError(err);
    process.stderr.write(`outpost: ${message}\n`);
    process.exit(code);
  }
}
