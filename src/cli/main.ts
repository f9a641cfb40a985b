import { Command, CommanderError } from 'commander';
import { VERSION } from '../server/app.ts';
import { AppError } from '../server/lib/errors.ts';
import { explainStartError } from '../server/main.ts';
import { registerAudit } from './commands/audit.ts';
import { registerBackup } from './commands/backup.ts';
import { registerDemo } from './commands/demo.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerSearch } from './commands/search.ts';
import { registerServe } from './commands/serve.ts';
import { registerToken } from './commands/token.ts';
import { registerTransfer } from './commands/transfer.ts';
import { registerUser } from './commands/user.ts';
import { CliError } from './runtime.ts';

export function buildProgram(): Command {
  const program = new Command('outpost')
    .description(
      'Outpost: security and safety management for small offices abroad.\nEvery command reads the same environment as the server (DATA_DIR, DATABASE_URL, OUTPOST_CONFIG, …).',
    )
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerServe(program);
  registerMigrate(program);
  registerUser(program);
  registerBackup(program);
  registerTransfer(program);
  registerDemo(program);
  registerAudit(program);
  registerToken(program);
  registerSearch(program);
  return program;
}

export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version print and exit 0; usage errors were already printed by commander.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof CliError) {
      process.stderr.write(`outpost: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof AppError) {
      process.stderr.write(`outpost: ${err.message}\n`);
      return 2;
    }
    const { message, code } = explainStartError(err);
    process.stderr.write(`outpost: ${message}\n`);
    return code;
  }
}

const code = await run(process.argv.slice(2));
if (code !== 0 || !process.argv.includes('serve')) process.exitCode = code;
if (code !== 0) process.exit(code);
