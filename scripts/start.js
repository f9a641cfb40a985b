// npm start: build the web app and the server if they are missing or stale, then run the server.
import { spawn } from 'node:child_process';
import { ensureServerBuilt, SERVER_MAIN, SERVER_NODE_FLAGS } from './server-build.js';
import { ensureWebBuilt } from './web-build.js';

try {
  ensureWebBuilt();
  ensureServerBuilt();
} catch (err) {
  process.stderr.write(`outpost: ${err.message}\n`);
  process.exit(1);
}
const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER_MAIN], { stdio: 'inherit' });
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
