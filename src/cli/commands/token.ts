import type { Command } from 'commander';
import { systemCtx } from '../../server/lib/auth.ts';
import { CliError, out, withRuntime } from '../runtime.ts';

export function registerToken(program: Command): void {
  const token = program.command('token').description('API tokens for automation');
  token
    .command('create <email>')
    .description('create an API token for a user; prints it once (send it as Authorization: Bearer <token>)')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--expires-days <n>', 'days until it expires (default 90; 0 for never)', '90')
    .option('--scope <scope>', 'read or write', 'read')
    .action(async (email: string, opts: { name: string; expiresDays: string; scope: string }) => {
      const days = Number(opts.expiresDays);
      if (!Number.isInteger(days) || days < 0 || days > 3650)
        throw new CliError(`--expires-days must be a whole number from 0 to 3650 (got ${opts.expiresDays})`);
      if (opts.scope !== 'read' && opts.scope !== 'write')
        throw new CliError(`--scope must be read or write (got ${opts.scope})`);
      await withRuntime(async ({ services }) => {
        const r = await services.auth.createTokenForUser(systemCtx, email, {
          name: opts.name,
          scope: opts.scope as 'read' | 'write',
          expiresDays: days === 0 ? null : days,
        });
        out(
          `Token "${r.apiToken.name}" for ${email.toLowerCase()} (${r.apiToken.scope}, ${r.apiToken.expiresAt ? `expires ${r.apiToken.expiresAt}` : 'never expires'}); shown once:`,
        );
        out(r.token);
      });
    });
}
