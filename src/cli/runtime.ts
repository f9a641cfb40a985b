import { bootstrapDatabase } from '../server/boot.ts';
import { type Config, loadConfig } from '../server/config.ts';
import type { OutpostDatabase } from '../server/db/database.ts';
import { systemClock } from '../server/lib/clock.ts';
import { createServices, type Services } from '../server/services.ts';

/** What a command gets: the same configuration, database and services as the server. */
export interface Runtime {
  config: Config;
  database: OutpostDatabase;
  services: Services;
}

/** Exit codes: 0 done, 1 failed, 2 bad input or refused (usage, validation, not found, conflict). */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

export async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  const config = loadConfig();
  const database = await bootstrapDatabase(config, undefined, opts);
  try {
    return await fn({ config, database, services: createServices({ database, clock: systemClock, config }) });
  } finally {
    await database.close();
  }
}

export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Reads standard input to the end (for passwords and archives piped in). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
