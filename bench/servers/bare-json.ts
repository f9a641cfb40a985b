/**
 * Baseline 1, the framework-free limit: bare node:http answering each benchmarked request with the very
 * bytes Outpost answered (captured before the run), without authentication, validation or a database.
 * Env: PORT, BENCH_RESPONSES (a JSON file: { "METHOD /path?query": { "status": 200, "body": "…" } }).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const responses = new Map(
  Object.entries(
    JSON.parse(readFileSync(process.env.BENCH_RESPONSES as string, 'utf8')) as Record<
      string,
      { status: number; body: string }
    >,
  ).map(([k, v]) => [k, { status: v.status, body: Buffer.from(v.body) }]),
);

const server = createServer((req, res) => {
  const hit = responses.get(`${req.method} ${req.url}`);
  const send = () => {
    if (!hit) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(hit.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': hit.body.length });
    res.end(hit.body);
  };
  if (req.method === 'POST') {
    // Read the body as any server must before answering.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      send();
    });
  } else {
    send();
  }
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ msg: 'baseline ready', port: Number(process.env.PORT) })}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
