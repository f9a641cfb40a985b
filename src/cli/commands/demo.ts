import type { Command } from 'commander';
import { systemClock } from '../../server/lib/clock.ts';
import { createDemoService, type DemoScale } from '../../server/modules/demo/demo.service.ts';
import { CliError, out, withRuntime } from '../runtime.ts';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('load the demo office TBS (Liaison Office Tbilisi; fictitious people and places)')
    .option('--scale <scale>', 'small (1 office), medium (3 offices) or large (10 offices)', 'small')
    .option('--seed <n>', 'random seed, for a reproducible demo', '42')
    .action(async (opts: { scale: string; seed: string }) => {
      if (!['small', 'medium', 'large'].includes(opts.scale))
        throw new CliError(`--scale must be small, medium or large (got ${opts.scale})`);
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed)) throw new CliError(`--seed must be a whole number (got ${opts.seed})`);
      await withRuntime(async ({ services, database }) => {
        const demo = createDemoService({ ...services, db: database.db, clock: systemClock });
        const r = await demo.load(opts.scale as DemoScale, seed);
        out(`Demo loaded: offices ${r.offices.join(', ')}; ${r.sites} sites; ${r.people} people.`);
        out('Demo accounts (one-time passwords, shown once):');
        for (const a of r.accounts) out(`  ${a.role.padEnd(17)} ${a.email.padEnd(28)} ${a.password}`);
      });
    });
}
