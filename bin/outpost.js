#!/usr/bin/env node
// The `outpost` command. Outpost runs its TypeScript directly on Node's type stripping (ADR 0001):
// built in from Node 22.18; on 22.12–22.17 this re-runs Node with the flag that turns it on.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
if (process.features.typescript) {
  await import(main);
} else {
  const r = spawnSync(
    process.execPath,
    ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', main, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(r.status ?? 1);
}
