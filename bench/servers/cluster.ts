/**
 * Two (BENCH_WORKERS) Outpost processes behind one port with node:cluster: the primary accepts each
 * connection and hands it to the workers in turn (round-robin, the default on Linux); each worker is
 * the ordinary server (src/server/main.ts serve()). Same environment as main.ts (PORT, DATABASE_URL…).
 */
import cluster from 'node:cluster';

const workers = Number(process.env.BENCH_WORKERS ?? 2);

if (cluster.isPrimary) {
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (_worker, code) => {
    if (!stopping) {
      process.stderr.write(`cluster: a worker exited (${code}) before it was told to\n`);
      process.exitCode = 1;
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
  });
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  // The built server when the suite names it (OUTPOST_MAIN), as `npm start` runs it; else the sources.
  const main = process.env.OUTPOST_MAIN ?? '../../src/server/main.ts';
  const { serve, explainStartError } = (await import(main)) as typeof import('../../src/server/main.ts');
  const { loadConfig } = (await import(
    main.replace(/main\.(ts|js)$/, 'config.$1')
  )) as typeof import('../../src/server/config.ts');
  try {
    await serve(loadConfig());
  } catch (err) {
    process.stderr.write(`outpost worker: ${explainStartError(err).message}\n`);
    process.exit(1);
  }
}
