import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { systemCtx } from '../../server/lib/auth.ts';
import { CliError, out, withRuntime } from '../runtime.ts';

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
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new CliError(
          code ? `Cannot read ${file} (${code}).` : `${file} is not valid JSON; nothing was imported.`,
        );
      }
      await withRuntime(async ({ services }) => {
        const r = await services.transfer.importOffice(systemCtx, raw);
        out(`Imported office ${r.officeCode}: ${r.sites} site(s), ${r.persons} person(s).`);
      });
    });
}
