import type { Command } from 'commander';
import { bootstrapDatabase } from '../../server/boot.ts';
import { loadConfig } from '../../server/config.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { out } from '../runtime.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema up to date (the server also does this at start)')
    .action(async () => {
      const config = loadConfig();
      const database = await bootstrapDatabase(config, undefined, { migrate: false });
      try {
        const applied = await migrateToLatest(database.db);
        out(
          applied.length
            ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
            : 'The database is up to date.',
        );
        out(`Database: ${database.dialect} at ${database.location}`);
      } finally {
        await database.close();
      }
    });
}
