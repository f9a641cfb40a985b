// npm start: build the web app if it is missing or stale, then run the server.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureWebBuilt, ROOT } from './web-build.js';

try {
  ensureWebBuilt();
} catch (err) {
  process.stderr.write(`outpost: ${err.message}\n`);
  process.exit(1);
}
const flags = process.features.typescript ? [] : ['--experimental-strip-types', '--no-warnings=ExperimentalWarning'];
const child = spawn(process.execPath, [...flags, path.join(ROOT, 'src/server/main.ts')], { stdio: 'inherit' });
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
