import type { Config } from './config.ts';
import { type OutpostDatabase, openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Logger } from './lib/logger.ts';

/** Opens the configured database and brings its schema up to date (server start and CLI alike). */
export async function bootstrapDatabase(
  config: Config,
  logger?: Logger,
  opts: { migrate?: boolean } = {},
): Promise<OutpostDatabase> {
  const database = openDatabase({ dataDir: config.dataDir, databaseUrl: config.DATABASE_URL });
  try {
    if (opts.migrate !== false) {
      const applied = await migrateToLatest(database.db);
      if (applied.length) logger?.info({ applied }, 'database migrations applied');
    }
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
  return database;
}
