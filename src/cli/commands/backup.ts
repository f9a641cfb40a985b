import type { Command } from 'commander';
import { systemClock } from '../../server/lib/clock.ts';
import { createBackupService } from '../../server/modules/backup/backup.service.ts';
import { out, withRuntime } from '../runtime.ts';

export function registerBackup(program: Command): void {
  program
    .command('backup <file>')
    .description(
      'write a consistent backup while the server runs (SQLite: a database file; PostgreSQL: a logical JSON export)',
    )
    .option('--force', 'overwrite the file if it exists')
    .action(async (file: string, opts: { force?: boolean }) => {
      await withRuntime(async ({ database }) => {
        const r = await createBackupService({ database, clock: systemClock }).backup(file, opts);
        out(`Backup written to ${r.file} (${r.kind}, ${r.bytes} bytes).`);
        out(
          Object.entries(r.counts)
            .map(([t, n]) => `${t}: ${n}`)
            .join(', '),
        );
      });
    });

  program
    .command('restore <file>')
    .description('replace the data with a backup (stop the server first); refuses a database with data unless --force')
    .option('--force', 'replace existing data')
    .action(async (file: string, opts: { force?: boolean }) => {
      await withRuntime(async ({ database }) => {
        const r = await createBackupService({ database, clock: systemClock }).restore(file, opts);
        out(`Restored ${file} into ${database.dialect} at ${database.location}.`);
        out(
          Object.entries(r.counts)
            .map(([t, n]) => `${t}: ${n}`)
            .join(', '),
        );
      });
    });
}
