// npm run dev: the API server (restarted on change by node --watch) and Vite's dev server with hot reload.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './web-build.js';

const flags = process.features.typescript ? [] : ['--experimental-strip-types'];
const children = [
  spawn(process.execPath, [...flags, '--watch', path.join(ROOT, 'src/server/main.ts')], {
    stdio: 'inherit',
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
  }),
  spawn(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js')], { stdio: 'inherit', cwd: ROOT }),
];
process.stderr.write('outpost dev: web app with hot reload on http://localhost:5173 (API on :3000)\n');
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
