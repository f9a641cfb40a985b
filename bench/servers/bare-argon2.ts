/**
 * Baseline 3, the sign-in limit: bare node:http doing nothing per request but what a password sign-in cannot
 * skip — read the JSON body and run one argon2id verify of its password against a hash made with Outpost's
 * own parameters (src/server/lib/passwords.ts: 19 MiB, 2 passes, 1 lane), through the same @node-rs/argon2.
 * No database, no session, no audit entry. 200 when the password matches, 401 otherwise.
 * Env: PORT, BENCH_PASSWORD (the password to hash at start).
 */
import { createServer, type ServerResponse } from 'node:http';
import { verify } from '@node-rs/argon2';
import { hashPassword } from '../../src/server/lib/passwords.ts';

const stored = await hashPassword(process.env.BENCH_PASSWORD as string);

function send(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const { password } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { password: string };
    verify(stored, password).then(
      (ok) => send(res, ok ? 200 : 401, ok ? '{"ok":true}' : '{"title":"Wrong e-mail or password."}'),
      () => send(res, 500, '{"title":"Internal error"}'),
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ msg: 'baseline ready', port: Number(process.env.PORT) })}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
