import type { Command } from 'commander';
import { systemCtx } from '../../server/lib/auth.ts';
import { RoleSchema } from '../../shared/auth/auth.schemas.ts';
import { ROLES } from '../../shared/permissions.ts';
import { CliError, out, readStdin, withRuntime } from '../runtime.ts';

export function registerUser(program: Command): void {
  const user = program.command('user').description('manage user accounts');

  user
    .command('add <email>')
    .description(
      'add a user; the password is read from standard input when it is not a terminal, otherwise a one-time password is printed',
    )
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--office <code...>', 'office code(s) the user belongs to')
    .option('--name <name>', 'display name')
    .action(async (email: string, opts: { role: string; office?: string[]; name?: string }) => {
      const role = RoleSchema.safeParse(opts.role);
      if (!role.success) throw new CliError(`--role must be one of ${ROLES.join(', ')} (got ${opts.role})`);
      let password: string | undefined;
      if (!process.stdin.isTTY) {
        password = (await readStdin()).replace(/\r?\n$/, '');
        if (password === '') password = undefined;
      }
      await withRuntime(async ({ services }) => {
        const { user: created, oneTimePassword } = await services.users.create(systemCtx, {
          email,
          role: role.data,
          officeCodes: opts.office ?? [],
          ...(opts.name ? { displayName: opts.name } : {}),
          ...(password ? { password } : {}),
        });
        out(
          `Added ${created.email} (${created.role}${created.officeCodes.length ? `, ${created.officeCodes.join(', ')}` : ''}).`,
        );
        if (oneTimePassword) out(`One-time password (shown once; to be changed at first sign-in): ${oneTimePassword}`);
      });
    });

  user
    .command('list')
    .description('list user accounts')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withRuntime(async ({ services }) => {
        const all = [];
        let cursor: string | undefined;
        do {
          const page = await services.users.list(systemCtx, { limit: 200, cursor });
          all.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        if (opts.json) return out(JSON.stringify(all, null, 2));
        if (all.length === 0) return out('No users.');
        const rows = all.map((u) => [
          u.email,
          u.role,
          u.officeCodes.join(',') || '-',
          u.isDisabled ? 'disabled' : u.mustChangePassword ? 'must change password' : 'active',
        ]);
        const widths = [0, 1, 2].map((i) =>
          Math.max(...rows.map((r) => (r[i] ?? '').length), ['EMAIL', 'ROLE', 'OFFICES'][i]?.length ?? 0),
        );
        const fmt = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c)).join('  ');
        out(fmt(['EMAIL', 'ROLE', 'OFFICES', 'STATUS']));
        for (const r of rows) out(fmt(r));
      });
    });

  user
    .command('reset-password <email>')
    .description('print a one-time link (valid 24 hours) with which the user sets a new password')
    .action(async (email: string) => {
      await withRuntime(async ({ services }) => {
        const { link, expiresAt } = await services.users.resetPassword(systemCtx, email);
        out(
          `Password reset link for ${email.toLowerCase()} (one use, until ${expiresAt}); give it to the user over a trusted channel:`,
        );
        out(link);
      });
    });
}
