/**
 * `npm run bench` — Outpost against the limits of the same machine, in the same run (ADR 0008).
 *
 *   npm run bench                 full run: `large` data, 10 s per row, 60 s soak (under 20 min)
 *   npm run bench -- --quick      development run (under 2 min): SQLite only unless --engines says otherwise
 *   options: --engines sqlite,postgres   --no-frontend   --seed N
 *
 * Prints a Markdown table and writes bench/results/latest.{md,json} and full.* or quick.* (the last run of each kind).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { ensureServerBuilt, SERVER_MAIN, SERVER_NODE_FLAGS } from '../scripts/server-build.js';
import { ensureWebBuilt, isWebBuildCurrent } from '../scripts/web-build.js';
import { type DemoVolume, LARGE_VOLUME } from '../src/server/modules/demo/demo.service.ts';
import { BENCH_EMAIL, BENCH_PASSWORD, type Dataset, PG_URL, prepareDataset } from './lib/dataset.ts';
import { bundleSizes, coldLoads } from './lib/frontend.ts';
import { INCIDENT_CASES, INCIDENT_LIST_CASES, INCIDENT_SINGLE_CASES, incidentCases } from './lib/incidents.ts';
import { type LoadCase, type LoadSettings, runLoad, toRow } from './lib/load.ts';
import { freePort, type ServerProcess, sampleRss, startServer, statusMiB } from './lib/processes.ts';
import { evaluateTargets, READ_CASES, renderMarkdown, SIGN_IN_CASE } from './lib/report.ts';
import type {
  BenchResults,
  Engine,
  FrontendResult,
  HttpRow,
  SearchBenchResult,
  Server,
  SoakResult,
  StartupResult,
} from './lib/results.ts';
import { bareSearch, countSearchDocuments, SEARCH_QUERIES, searchCases } from './lib/search.ts';
import { siteUpdateCase, UPDATE_CASE, type Versioned, versionedSites } from './lib/writes.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SERVERS = path.join(ROOT, 'bench/servers');

/** The quick run's data: every kind of record, an office of 5,000 sites to page through, a 50,000-entry trail. */
export const QUICK_VOLUME: DemoVolume = {
  offices: 10,
  peoplePerOffice: 50,
  sitesFirstOffice: 5_000,
  sitesPerOtherOffice: 500,
  auditEntries: 50_000,
  accountEvery: 10,
  // Search documents in all (the records' own plus filler); the full run has LARGE_VOLUME's 1,000,000.
  searchDocuments: 20_000,
  // Incidents across the offices (issue #5); the full run has LARGE_VOLUME's 200,000.
  incidents: 20_000,
};

/**
 * Sign-in is argon2id (19 MiB, 2 passes): CPU-bound, some 15 ms of a core each. Eight connections keep both
 * cores and the libuv pool (4 threads) busy without a queue of 50 making every latency a queueing time.
 */
const SIGN_IN_CONNECTIONS = 8;

/** A real sign-in: the benchmark administrator's e-mail and password, answered 200 with a new session. */
const SIGN_IN: LoadCase = {
  name: SIGN_IN_CASE,
  method: 'POST',
  path: '/api/v1/auth/login',
  body: JSON.stringify({ email: BENCH_EMAIL, password: BENCH_PASSWORD }),
};

interface Profile {
  mode: 'quick' | 'full';
  load: LoadSettings;
  volume: DemoVolume;
  soakSeconds: number;
  soakEngines: Engine[];
  /** Where sign-in is measured (the quick run keeps to SQLite to stay under 2 minutes). */
  signInEngines: Engine[];
  starts: Record<Engine, number>;
}

const PROFILES: Record<'quick' | 'full', Profile> = {
  quick: {
    mode: 'quick',
    load: { connections: 50, durationS: 1.25, warmupS: 0.5 },
    volume: QUICK_VOLUME,
    soakSeconds: 5,
    soakEngines: ['sqlite'],
    signInEngines: ['sqlite'],
    starts: { sqlite: 2, postgres: 1 },
  },
  full: {
    mode: 'full',
    load: { connections: 50, durationS: 10, warmupS: 2 },
    volume: LARGE_VOLUME,
    soakSeconds: 60,
    soakEngines: ['sqlite', 'postgres'],
    signInEngines: ['sqlite', 'postgres'],
    starts: { sqlite: 5, postgres: 3 },
  },
};

function parseArgs(argv: string[]) {
  const opts = { quick: false, engines: ['sqlite', 'postgres'] as Engine[], frontend: true, seed: 42 };
  let enginesGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = () => {
      const [, inline] = a.split('=');
      return inline ?? (argv[++i] as string);
    };
    if (a === '--quick') opts.quick = true;
    else if (a === '--no-frontend') opts.frontend = false;
    else if (a.startsWith('--engines')) {
      opts.engines = value().split(',') as Engine[];
      enginesGiven = true;
    } else if (a.startsWith('--seed')) opts.seed = Number(value());
    else throw new Error(`unknown option ${a} (known: --quick, --engines sqlite,postgres, --no-frontend, --seed N)`);
  }
  for (const e of opts.engines) if (e !== 'sqlite' && e !== 'postgres') throw new Error(`unknown engine ${e}`);
  // The quick run is for development, on the default engine; `--engines sqlite,postgres` adds PostgreSQL.
  if (opts.quick && !enginesGiven) opts.engines = ['sqlite'];
  return opts;
}

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: BENCH_EMAIL, password: BENCH_PASSWORD }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('outpost_session='));
  if (!cookie) throw new Error('sign-in set no session cookie');
  return (cookie.split(';')[0] as string).slice('outpost_session='.length);
}

async function getJson<T>(base: string, p: string, token: string): Promise<T> {
  const res = await fetch(base + p, { headers: { cookie: `outpost_session=${token}` } });
  if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The benchmarked requests, with ids and a page-2 cursor found through the API itself. */
async function buildCases(base: string, token: string): Promise<LoadCase[]> {
  const office = async (code: string) =>
    (await getJson<Page<{ id: string; code: string }>>(base, `/api/v1/offices?q=${code}`, token)).items.find(
      (o) => o.code === code,
    )?.id;
  const tbs = await office('TBS');
  const kiv = (await office('KIV')) ?? tbs;
  if (!tbs) throw new Error('the TBS office is missing from the data set');
  const first = await getJson<Page<{ id: string }>>(base, `/api/v1/offices/${tbs}/sites?limit=50`, token);
  const site = first.items[25] ?? first.items[0];
  if (!site || !first.nextCursor) throw new Error('the TBS office has too few sites for the benchmark');
  return [
    { name: 'offices.list', method: 'GET', path: '/api/v1/offices?q=liaison&limit=3' },
    { name: 'sites.list', method: 'GET', path: `/api/v1/offices/${tbs}/sites?limit=50&cursor=${first.nextCursor}` },
    { name: 'sites.get', method: 'GET', path: `/api/v1/sites/${site.id}` },
    {
      name: 'sites.create',
      method: 'POST',
      path: `/api/v1/offices/${kiv}/sites`,
      body: JSON.stringify({
        name: 'Benchmark residence',
        kind: 'residence_compound',
        address: '1 Bench Street (fictitious)',
        city: 'Chișinău',
        country: 'MD',
        latitude: 47.01,
        longitude: 28.86,
      }),
    },
  ];
}

/** The responses Outpost gives, for the pre-serialised JSON baseline. */
async function captureResponses(base: string, token: string, cases: LoadCase[]) {
  const out: Record<string, { status: number; body: string }> = {};
  for (const c of cases) {
    const res = await fetch(base + c.path, {
      method: c.method,
      headers: { cookie: `outpost_session=${token}`, ...(c.body ? { 'content-type': 'application/json' } : {}) },
      ...(c.body ? { body: c.body } : {}),
    });
    const body = await res.text();
    if (!res.ok) throw new Error(`${c.method} ${c.path}: ${res.status} ${body}`);
    out[`${c.method} ${c.path}`] = { status: res.status, body };
  }
  return out;
}

interface Target {
  server: Server;
  proc: ServerProcess;
  headers: Record<string, string>;
}

async function measure(engine: Engine, t: Target, c: LoadCase, settings: LoadSettings): Promise<HttpRow> {
  const rss = sampleRss(t.proc.pid);
  const o = await runLoad(`http://127.0.0.1:${t.proc.port}`, c, t.headers, settings);
  rss.stop();
  const row = toRow(engine, t.server, c, o, rss.peak());
  log(
    `${engine} ${t.server} ${c.name}: ${row.rps} req/s, p99 ${row.p99} ms, ${row.errors} errors, peak ${row.peakRssMiB} MiB`,
  );
  return row;
}

async function soak(
  engine: Engine,
  proc: ServerProcess,
  c: LoadCase,
  headers: Record<string, string>,
  settings: LoadSettings,
  seconds: number,
): Promise<SoakResult> {
  const rss = sampleRss(proc.pid, 1000);
  const o = await runLoad(`http://127.0.0.1:${proc.port}`, c, headers, { ...settings, warmupS: 0, durationS: seconds });
  const samples = rss.stop().map((x) => Math.round(x * 10) / 10);
  const fifth = Math.max(1, Math.floor(samples.length / 5));
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const growth = med(samples.slice(-fifth)) - med(samples.slice(0, fifth));
  log(`${engine} soak ${c.name} ${seconds} s: ${Math.round(o.rps)} req/s, RSS growth ${growth.toFixed(1)} MiB`);
  return {
    engine,
    case: c.name,
    seconds,
    samples,
    growthMiB: Math.round(growth * 10) / 10,
    peakRssMiB: Math.round(Math.max(...samples)),
    rps: Math.round(o.rps),
    errors: o.errors,
  };
}

const SERVER_ORDER: Server[] = ['outpost', 'outpost-x2', 'bare-sqlite', 'bare-pg', 'bare-json', 'bare-argon2'];
const CASE_ORDER = [
  'offices.list',
  'sites.list',
  'sites.get',
  'sites.create',
  UPDATE_CASE,
  ...INCIDENT_CASES,
  SIGN_IN_CASE,
  ...SEARCH_QUERIES.flatMap((q) => [q.name, `${q.name} @1`]),
];

/** For reading: by engine, then Outpost before its baselines, then case. */
function sortRows(rows: HttpRow[]): HttpRow[] {
  const key = (r: HttpRow) => [
    r.engine === 'sqlite' ? 0 : 1,
    SERVER_ORDER.indexOf(r.server),
    CASE_ORDER.indexOf(r.case),
  ];
  return [...rows].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return (ka[i] as number) - (kb[i] as number);
    return 0;
  });
}

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function main() {
  const started = performance.now();
  const loadBefore = os.loadavg()[0] ?? 0;
  const opts = parseArgs(process.argv.slice(2));
  const profile = PROFILES[opts.quick ? 'quick' : 'full'];
  ensureServerBuilt({ quiet: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'outpost-bench-'));
  const notes: string[] = [];
  const http: HttpRow[] = [];
  const startup: StartupResult[] = [];
  const soaks: SoakResult[] = [];
  const datasets: Dataset[] = [];
  const datasetResults: BenchResults['datasets'] = [];
  const running: ServerProcess[] = [];
  const cleanup = async () => {
    for (const p of running) await p.stop().catch(() => {});
    for (const d of datasets) await d.drop().catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
  };
  const start = async (script: string, env: Record<string, string>, name: string, readyMsg: string, count = 1) => {
    // Outpost runs as `npm start` runs it: the built server with its Node flags (ADR 0014).
    const outpost = script === SERVER_MAIN || script.endsWith('cluster.ts');
    const proc = await startServer({
      script,
      env: outpost ? { ...env, OUTPOST_MAIN: SERVER_MAIN } : env,
      ...(outpost ? { nodeArgs: SERVER_NODE_FLAGS } : {}),
      logFile: path.join(tmp, `${name}.log`),
      port: await freePort(),
      readyMsg,
      readyCount: count,
      cwd: ROOT,
    });
    running.push(proc);
    return proc;
  };
  const stop = async (proc: ServerProcess) => {
    await proc.stop();
    running.splice(running.indexOf(proc), 1);
  };

  let frontend: FrontendResult | null = null;
  if (opts.frontend) {
    // A clean clone after `npm install` has no build: make it (production build, as `npm start` does).
    log('building the web app if it is missing or stale');
    ensureWebBuilt({ quiet: true });
    const sizes = bundleSizes(path.join(ROOT, 'dist/web'));
    frontend = { ...sizes, current: sizes.built && isWebBuildCurrent(), servedEncoding: null, coldLoads: [] };
    if (!sizes.built)
      notes.push(
        'Front end not measured: build it first (`node -e "import(\'./scripts/web-build.js\').then(m=>m.ensureWebBuilt())"`).',
      );
  }

  let search: SearchBenchResult | null = null;
  let bareJsonDone = false;
  let bareArgon2Done = false;
  try {
    for (const engine of opts.engines) {
      if (engine === 'postgres' && !(await pgReachable())) {
        notes.push(`PostgreSQL at ${PG_URL.replace(/:[^:@/]*@/, '@')} is not reachable: its rows are missing.`);
        log('PostgreSQL not reachable; skipping it');
        continue;
      }
      const dataDir = path.join(tmp, engine);
      mkdirSync(dataDir);
      log(`${engine}: generating data`);
      const ds = await prepareDataset(engine, dataDir, profile.volume, opts.seed, log);
      datasets.push(ds);
      log(`${engine}: data in ${ds.result.seconds.toFixed(1)} s`);
      const env: Record<string, string> = {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        NODE_ENV: 'production',
        ...(ds.databaseUrl ? { DATABASE_URL: ds.databaseUrl } : {}),
      };

      // Start-up: spawn → ready line, a few times; keep the last server running for the load.
      const readyMs: number[] = [];
      const selfReported: number[] = [];
      let server: ServerProcess | undefined;
      for (let i = 0; i < profile.starts[engine]; i++) {
        if (server) await stop(server);
        server = await start(SERVER_MAIN, env, `${engine}-outpost-${i}`, 'Outpost is ready');
        readyMs.push(Math.round(server.readyMs));
        selfReported.push(Number(server.readyLines[0]?.readyMs ?? Number.NaN));
      }
      if (!server) throw new Error('no server started');
      await sleep(1000);
      const idle = statusMiB(server.pid, 'VmRSS');
      startup.push({ engine, readyMs, selfReportedMs: selfReported, idleRssMiB: Math.round(idle) });
      log(`${engine}: ready in ${readyMs.join(', ')} ms; idle RSS ${Math.round(idle)} MiB`);

      const base = `http://127.0.0.1:${server.port}`;
      const token = await login(base);
      const headers = { cookie: `outpost_session=${token}` };
      const cases = await buildCases(base, token);
      const tbsId = (cases[1]?.path ?? '').replace(/^\/api\/v1\/offices\/([^/]+)\/sites.*$/, '$1');
      const kivId = (cases.find((c) => c.name === 'sites.create')?.path ?? '').replace(
        /^\/api\/v1\/offices\/([^/]+)\/sites$/,
        '$1',
      );
      const incidents = await incidentCases(base, tbsId, (b, p) => getJson(b, p, token));
      const reads = cases.filter((c) => READ_CASES.includes(c.name));
      const responses = await captureResponses(base, token, cases);

      // Every server up at once (an idle one costs nothing), so that for each case Outpost and its baselines
      // are measured seconds apart, not minutes: a passing disturbance of the machine then shows on both
      // sides of a ratio or on neither.
      const targets: Target[] = [{ server: 'outpost', proc: server, headers }];
      if (!bareJsonDone) {
        const file = path.join(tmp, 'responses.json');
        writeFileSync(file, JSON.stringify(responses));
        const bare = await start(
          path.join(SERVERS, 'bare-json.ts'),
          { BENCH_RESPONSES: file },
          'bare-json',
          'baseline ready',
        );
        targets.push({ server: 'bare-json', proc: bare, headers: {} });
        bareJsonDone = true;
      }
      const bareDb = await start(
        path.join(SERVERS, 'bare-db.ts'),
        ds.sqliteFile ? { BENCH_SQLITE_FILE: ds.sqliteFile } : { BENCH_PG_URL: ds.databaseUrl as string },
        `bare-db-${engine}`,
        'baseline ready',
      );
      targets.push({ server: engine === 'sqlite' ? 'bare-sqlite' : 'bare-pg', proc: bareDb, headers: {} });
      // The sign-in baseline does not depend on the engine either: measured once, next to the first engine's sign-ins.
      const signIns = profile.signInEngines.includes(engine);
      let bareArgon2: Target | undefined;
      if (signIns && !bareArgon2Done) {
        const proc = await start(
          path.join(SERVERS, 'bare-argon2.ts'),
          { BENCH_PASSWORD },
          'bare-argon2',
          'baseline ready',
        );
        bareArgon2 = { server: 'bare-argon2', proc, headers: {} };
        bareArgon2Done = true;
      }
      if (engine === 'postgres') {
        const cluster = await start(path.join(SERVERS, 'cluster.ts'), env, 'cluster', 'Outpost is ready', 2);
        const clusterToken = await login(`http://127.0.0.1:${cluster.port}`);
        targets.push({ server: 'outpost-x2', proc: cluster, headers: { cookie: `outpost_session=${clusterToken}` } });
      }

      for (const c of reads) for (const t of targets) http.push(await measure(engine, t, c, profile.load));

      // Incidents (issue #5): list, filter and page at the suite's connections; the metrics dashboard and an
      // export at one.
      for (const c of incidents.filter((x) => (INCIDENT_LIST_CASES as readonly string[]).includes(x.name)))
        http.push(await measure(engine, targets[0] as Target, c, profile.load));
      for (const c of incidents.filter((x) => INCIDENT_SINGLE_CASES.includes(x.name)))
        http.push(await measure(engine, targets[0] as Target, c, { ...profile.load, connections: 1 }));

      // Search (issue #4), on SQLite: at the suite's connections and at one, then the in-process FTS5 baseline.
      if (engine === 'sqlite' && ds.sqliteFile) {
        const documents = countSearchDocuments(ds.sqliteFile);
        log(`sqlite: search over ${documents.toLocaleString('en-US')} documents`);
        for (const c of searchCases()) {
          http.push(await measure(engine, targets[0] as Target, c, profile.load));
          http.push(
            await measure(
              engine,
              targets[0] as Target,
              { ...c, name: `${c.name} @1` },
              { ...profile.load, connections: 1 },
            ),
          );
        }
        const baseline = bareSearch(ds.sqliteFile, profile.mode === 'quick' ? 1 : 3);
        for (const b of baseline) log(`sqlite bare FTS5 ${b.case}: ${b.qps} queries/s, p95 ${b.p95} ms`);
        search = { engine, documents, user: 'the benchmark administrator (sees every office)', baseline };
      }

      if (frontend?.built && frontend.coldLoads.length === 0) {
        const entry = frontend.initialJs?.files[0];
        if (entry) {
          const res = await fetch(`${base}/assets/${entry}`, { headers: { 'accept-encoding': 'gzip, br' } });
          await res.arrayBuffer();
          frontend.servedEncoding = res.headers.get('content-encoding') ?? 'none';
        }
        const tbsPath = (cases[1]?.path ?? '').replace(/^\/api\/v1(\/offices\/[^/]+)\/sites.*$/, '$1/sites');
        log('front end: cold loads in chromium');
        frontend.coldLoads = await coldLoads(base, token, [
          { page: 'login', path: '/login', signedIn: false },
          { page: 'dashboard', path: '/', signedIn: true },
          { page: 'office sites list', path: tbsPath, signedIn: true, list: true },
          { page: 'incidents list', path: `/incidents?officeId=${tbsId}`, signedIn: true, list: true },
        ]);
      }

      const listCase = cases.find((c) => c.name === 'sites.list');
      if (listCase && profile.soakEngines.includes(engine))
        soaks.push(await soak(engine, server, listCase, headers, profile.load, profile.soakSeconds));

      // Creates and updates last: they add and change rows (of another office than the one listed).
      for (const c of cases.filter((x) => x.name === 'sites.create'))
        for (const t of targets) http.push(await measure(engine, t, c, profile.load));
      // Updates need a site and its version per request: fresh sites for each run, none shared (bench/lib/writes.ts).
      // Not against bare JSON: a pre-serialised answer to a changing request means nothing.
      const updaters = targets.filter((t) => t.server !== 'bare-json');
      const pool = await versionedSites(
        (cursor) =>
          getJson<Page<Versioned>>(
            base,
            `/api/v1/offices/${kivId}/sites?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
            token,
          ),
        updaters.length * 2 * (profile.load.connections + 5),
      );
      const update = siteUpdateCase(pool, profile.load.connections);
      for (const t of updaters) http.push(await measure(engine, t, update, profile.load));

      // Sign-in (issue #3): real sign-ins against one Outpost process (each writes a session row and an audit
      // entry, hence after the reads), then one argon2id verify per request on the bare server.
      const signInLoad = { ...profile.load, connections: SIGN_IN_CONNECTIONS };
      if (signIns) http.push(await measure(engine, targets[0] as Target, SIGN_IN, signInLoad));
      if (bareArgon2) {
        http.push(await measure(engine, bareArgon2, SIGN_IN, signInLoad));
        await stop(bareArgon2.proc);
      }
      for (const t of targets) await stop(t.proc);
      await ds.drop();
      datasets.splice(datasets.indexOf(ds), 1);
      rmSync(dataDir, { recursive: true, force: true });
      datasetResults.push(ds.result);
    }
  } finally {
    await cleanup();
  }

  const cpus = os.cpus();
  const results: BenchResults = {
    format: 'outpost-bench',
    version: 1,
    date: new Date().toISOString(),
    mode: profile.mode,
    totalSeconds: Math.round((performance.now() - started) / 100) / 10,
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      os: `${os.type()} ${os.release()}`,
      loadAverage: [loadBefore, os.loadavg()[0] ?? 0].map((x) => Math.round(x * 100) / 100) as [number, number],
    },
    settings: {
      ...profile.load,
      logLevel: 'info',
      clusterMode: 'node:cluster, 2 workers (the primary hands out connections round-robin)',
      signInConnections: SIGN_IN_CONNECTIONS,
    },
    engines: opts.engines,
    datasets: datasetResults,
    startup,
    http: sortRows(http),
    soak: soaks,
    frontend,
    targets: [],
    search,
    notes: [
      ...notes,
      'For each case Outpost and its baselines are measured back to back on the same machine; the bare JSON baseline is measured once, during the first engine (it does not depend on the engine).',
      'The baselines skip what Outpost does per request besides the page query: session, account, offices and MFA look-ups (5 queries), validation, the request log.',
      'Peak RSS of Outpost ×2 is the sum of the cluster primary and both workers.',
      `Sign-in rows run at ${SIGN_IN_CONNECTIONS} connections on one Outpost process (not ×2), on ${profile.signInEngines.join(' and ')} in a ${profile.mode} run; the bare argon2id baseline, like bare JSON, is measured once, during the first engine.`,
      'autocannon runs on the same 2 cores as the server it measures; absolute numbers are lower than on a separate load generator, ratios are what carries over.',
    ],
  };
  results.targets = evaluateTargets(results);
  const md = renderMarkdown(results);
  const dir = path.join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  // latest.* is the last run of either kind; full.* / quick.* keep the last of each, so a quick run during
  // development does not replace the full run's table (the one to commit).
  for (const name of ['latest', profile.mode]) {
    writeFileSync(path.join(dir, `${name}.md`), md);
    writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  }
  process.stdout.write(md);
  log(`done in ${results.totalSeconds} s; written to bench/results/latest.{md,json} and ${profile.mode}.{md,json}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
