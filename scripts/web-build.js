// Builds the web app into dist/web when it is missing or stale. "Stale" is decided by a hash of
// everything the build reads, so a checkout that changed nothing never rebuilds.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist/web');
const STAMP = path.join(DIST, '.build-stamp');
const INPUTS = ['src/web', 'src/shared', 'vite.config.ts', 'package-lock.json', 'tsconfig.web.json'];

/** Every file under `p`, in a stable order. */
export function* files(p) {
  if (!existsSync(p)) return;
  if (statSync(p).isDirectory()) {
    for (const name of readdirSync(p).sort()) yield* files(path.join(p, name));
  } else {
    yield p;
  }
}

/** A hash of the named inputs (paths and contents), skipping files `skip` matches. */
export function hashOf(inputs, skip = () => false) {
  const h = createHash('sha256');
  for (const input of inputs) {
    for (const f of files(path.join(ROOT, input))) {
      if (skip(f)) continue;
      h.update(path.relative(ROOT, f));
      h.update(readFileSync(f));
    }
  }
  return h.digest('hex');
}

/** The build is always a production build (the stamp says so, so a development build is never reused). */
export function sourceHash() {
  return `production:${hashOf(INPUTS)}`;
}

export function isWebBuildCurrent() {
  return existsSync(path.join(DIST, 'index.html')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === sourceHash();
}

/** Returns the seconds the build took, or 0 when it was already current. */
export function ensureWebBuilt({ quiet = false } = {}) {
  if (isWebBuildCurrent()) return 0;
  const started = Date.now();
  if (!quiet) process.stderr.write('outpost: building the web app (first start or sources changed; a few seconds)…\n');
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', quiet ? 'error' : 'warn'],
    {
      cwd: ROOT,
      // Whatever the caller's NODE_ENV (vitest sets `test`), users get, and tests and benchmarks see, the
      // production build: React's development build is slower and behaves differently.
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    },
  );
  if (r.status !== 0) throw new Error('the web build failed (see the messages above)');
  writeFileSync(STAMP, sourceHash());
  const seconds = (Date.now() - started) / 1000;
  if (!quiet) process.stderr.write(`outpost: web app built in ${seconds.toFixed(1)} s\n`);
  return seconds;
}
