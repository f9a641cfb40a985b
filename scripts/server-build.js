// Builds the server into dist/node (JavaScript, types erased by the TypeScript compiler, imports rewritten
// from .ts to .js) when it is missing or stale, as the web build does (ADR 0014). Tests and `npm run dev`
// run the TypeScript directly; `npm start` and the benchmark run this build.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hashOf, ROOT } from './web-build.js';

const DIST = path.join(ROOT, 'dist/node');
const STAMP = path.join(DIST, '.build-stamp');
const INPUTS = [
  'src/server',
  'src/shared',
  'src/cli',
  'tsconfig.build.json',
  'tsconfig.server.json',
  'tsconfig.base.json',
  'package-lock.json',
];
export const SERVER_MAIN = path.join(DIST, 'server/main.js');
/**
 * Node flags of the server process. A young generation of at most 4 MiB per semi-space instead of V8's
 * 16 keeps the idle process some 35 MiB smaller, at a small cost in throughput (ADR 0014).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4'];

const hash = () => hashOf(INPUTS, (f) => f.endsWith('.test.ts'));

export function isServerBuildCurrent() {
  return existsSync(SERVER_MAIN) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash();
}

/** Returns the seconds the build took, or 0 when it was already current. */
export function ensureServerBuilt({ quiet = false } = {}) {
  if (isServerBuildCurrent()) return 0;
  const started = Date.now();
  rmSync(DIST, { recursive: true, force: true });
  // Types were checked by `npm run typecheck`; this only erases them (as Node's type stripping does).
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--noCheck'],
    { cwd: ROOT, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' },
  );
  if (r.status !== 0) throw new Error('the server build failed (see the messages above)');
  writeFileSync(STAMP, hash());
  const seconds = (Date.now() - started) / 1000;
  if (!quiet) process.stderr.write(`outpost: server built in ${seconds.toFixed(1)} s\n`);
  return seconds;
}
