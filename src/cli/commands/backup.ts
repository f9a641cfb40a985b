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
      await withRuntime(async ({ database, config }) => {
        const r = await createBackupService({ database, clock: systemClock, dataDir: config.dataDir }).backup(
          file,
          opts,
        );
        out(`Backup written to ${r.file} (${r.kind}, ${r.bytes} bytes).`);
        if (r.blobs)
          out(
            `Attachment files in ${r.blobs.dir}/: ${r.blobs.copied} copied, ${r.blobs.skipped} already there. Keep this directory with the backup file.`,
          );
        if (r.blobs?.damaged.length)
          process.stderr.write(
            `Warning: ${r.blobs.damaged.length} stored attachment file(s) no longer match their SHA-256 and were not copied: ${r.blobs.damaged.join(', ')}\n`,
          );
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
      await withRuntime(async ({ database, config }) => {
        const r = await createBackupService({ database, clock: systemClock, dataDir: config.dataDir }).restore(
          file,
          opts,
        );
        out(`Restored ${file} into ${database.dialect} at ${database.location}.`);
        if (r.blobs)
          out(`Attachment files from ${r.blobs.dir}/: ${r.blobs.copied} restored, ${r.blobs.skipped} already there.`);
        if (r.blobs && (r.blobs.missing.length || r.blobs.damaged.length))
          process.stderr.write(
            `Warning: ${r.blobs.missing.length} attachment file(s) the data refers to are missing${r.blobs.damaged.length ? ` (${r.blobs.damaged.length} in the backup were damaged)` : ''}; copy ${r.blobs.dir}/ next to the backup file and restore again, or those downloads will fail: ${r.blobs.missing.slice(0, 10).join(', ')}\n`,
          );
        out(
          Object.entries(r.counts)
            .map(([t, n]) => `${t}: ${n}`)
            .join(', '),
        );
      });
    });
}
