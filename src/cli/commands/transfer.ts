import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { systemCtx } from '../../server/lib/auth.ts';
import { CliError, out, withRuntime } from '../runtime.ts';

/** An office archive is records only (no files): far below this even for the largest office. */
export const ARCHIVE_MAX_BYTES = 256 * 2 ** 20;

/** The archive's text: a regular file (a FIFO or a device would block or never end) of bounded size. */
function readArchive(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new CliError(`${file} is not a regular file; nothing was imported.`);
    size = st.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`Cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  if (size > ARCHIVE_MAX_BYTES)
    throw new CliError(
      `${file} is ${Math.round(size / 2 ** 20)} MiB; an office archive is at most ${ARCHIVE_MAX_BYTES / 2 ** 20} MiB. Nothing was imported.`,
    );
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`Cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

export function registerTransfer(program: Command): void {
  program
    .command('export <file>')
    .description("export one office (and everything of it) as a JSON archive; '-' writes to standard output")
    .requiredOption('--office <code>', 'the office code, e.g. TBS')
    .option('--force', 'overwrite the file if it exists')
    .action(async (file: string, opts: { office: string; force?: boolean }) => {
      if (file !== '-' && existsSync(file) && !opts.force)
        throw new CliError(`${file} already exists; choose another name or pass --force.`);
      await withRuntime(async ({ services }) => {
        const archive = await services.transfer.exportOffice(systemCtx, opts.office);
        const text = `${JSON.stringify(archive, null, 2)}\n`;
        if (file === '-') process.stdout.write(text);
        else {
          writeFileSync(file, text);
          out(
            `Exported office ${archive.office.code}: ${archive.sites.length} site(s), ${archive.persons.length} person(s) → ${file}`,
          );
        }
      });
    });

  program
    .command('import <file>')
    .description('import an office archive made by `outpost export` (all or nothing)')
    .action(async (file: string) => {
      const text = readArchive(file);
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw new CliError(`${file} is not valid JSON; nothing was imported.`);
      }
      await withRuntime(async ({ services }) => {
        const r = await services.transfer.importOffice(systemCtx, raw);
        out(`Imported office ${r.officeCode}: ${r.sites} site(s), ${r.persons} person(s).`);
      });
    });
}
