import type { Command } from 'commander';
import { loadConfig } from '../../server/config.ts';
import { serve } from '../../server/main.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the Outpost server (same as npm start, without building the web app)')
    .action(async () => {
      await serve(loadConfig());
    });
}
