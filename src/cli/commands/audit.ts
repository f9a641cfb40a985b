import type { Command } from 'commander';
import { CliError, out, withRuntime } from '../runtime.ts';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit trail');
  audit
    .command('verify')
    .description('check the hash chain of the whole audit trail; names the first broken entry (exit 1 when broken)')
    .action(async () => {
      await withRuntime(async ({ services, database }) => {
        const r = await services.audit.verify(database.db);
        if (r.ok) return out(`Audit trail intact: ${r.entries} entries, hash chain verified.`);
        throw new CliError(
          `Audit trail BROKEN at entry ${r.brokenAt}: ${r.reason} (${r.entries} entries verified before it).`,
          1,
        );
      });
    });
}
