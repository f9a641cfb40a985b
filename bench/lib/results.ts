/** The shape of bench/results/latest.json. Everything the Markdown table shows comes from here. */

export type Engine = 'sqlite' | 'postgres';

/** What served the requests: Outpost itself, two Outpost processes behind one port, or a baseline. */
export type Server = 'outpost' | 'outpost-x2' | 'bare-json' | 'bare-sqlite' | 'bare-pg' | 'bare-argon2';

export interface HttpRow {
  engine: Engine;
  server: Server;
  /** e.g. offices.list */
  case: string;
  /** Method and path with query, as requested. */
  request: string;
  /** 2xx responses per second over the measured window. */
  rps: number;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Connection errors + timeouts + non-2xx responses. */
  errors: number;
  /** Highest resident set size of the server (all its processes) sampled during the run, in MiB. */
  peakRssMiB: number | null;
}

export interface StartupResult {
  engine: Engine;
  /** Wall time from spawning `node src/server/main.ts` to its "Outpost is ready" log line, per start. */
  readyMs: number[];
  /** The server's own readyMs (config read → listening; excludes Node's start and module loading). */
  selfReportedMs: number[];
  /** RSS one second after the ready line, before any request. */
  idleRssMiB: number;
}

export interface SoakResult {
  engine: Engine;
  case: string;
  seconds: number;
  /** One RSS sample a second, MiB. */
  samples: number[];
  /** Median of the last fifth of the samples minus the median of the first fifth. */
  growthMiB: number;
  peakRssMiB: number;
  rps: number;
  errors: number;
}

export interface DatasetResult {
  engine: Engine;
  volume: Record<string, number>;
  seconds: number;
  offices: number;
  sites: number;
  people: number;
  auditEntries: number;
  /** Sites in the office whose list is measured. */
  listedOfficeSites: number;
  /** Incidents across the offices (issue #5); absent in runs from before the incident module. */
  incidents?: number;
}

export interface ChunkSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface ColdLoad {
  page: string;
  path: string;
  /** HTTP status of the document and where the app ended up (a redirect to /login would show here). */
  status?: number | null;
  finalPath?: string;
  fcpMs: number | null;
  lcpMs: number | null;
  domContentLoadedMs: number | null;
  loadMs: number | null;
  /** Until the first table row is on screen, for list pages. */
  firstRowMs?: number | null;
  jsTransferBytes: number | null;
  error?: string;
}

export interface FrontendResult {
  built: boolean;
  /** The build matches the current sources (scripts/web-build.js stamp). */
  current: boolean;
  chunks: ChunkSize[];
  /** Entry script and everything it imports statically (what index.html makes the browser fetch). */
  initialJs: { files: string[]; bytes: number; gzipBytes: number } | null;
  /** Initial JS plus the dashboard route's chunk and its static imports. */
  firstScreenJs: { files: string[]; bytes: number; gzipBytes: number } | null;
  css: { bytes: number; gzipBytes: number } | null;
  /** The server's Content-Encoding for the entry script (none means raw bytes go over the wire). */
  servedEncoding: string | null;
  coldLoads: ColdLoad[];
  note?: string;
}

export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  /** null: not measurable yet (the feature does not exist) or not measured in this mode. */
  met: boolean | null;
  note?: string;
}

/** The search baseline: the same FTS5 query on better-sqlite3 in-process, one at a time (no HTTP, no permissions). */
export interface SearchBaseline {
  case: string;
  query: string;
  /** Queries per second of one thread (1000 ÷ mean time). */
  qps: number;
  p50: number;
  p95: number;
  p99: number;
  samples: number;
}

/** Issue #4's search benchmark (SQLite): Outpost's rows are in `http` (cases `search.*`). */
export interface SearchBenchResult {
  engine: Engine;
  /** Documents in the index during the run. */
  documents: number;
  /** Who searched (sees every office, so every document but the restricted ones is a candidate). */
  user: string;
  baseline: SearchBaseline[];
}

export interface BenchResults {
  format: 'outpost-bench';
  version: 1;
  date: string;
  mode: 'quick' | 'full';
  totalSeconds: number;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    os: string;
    /** 1-minute load average when the run started and when it ended: other work on the machine shows here. */
    loadAverage?: [number, number];
  };
  settings: {
    connections: number;
    durationS: number;
    warmupS: number;
    logLevel: string;
    clusterMode: string;
    /** Connections for the sign-in rows (auth.login and its argon2id baseline): argon2 is CPU-bound. */
    signInConnections?: number;
  };
  engines: Engine[];
  datasets: DatasetResult[];
  startup: StartupResult[];
  http: HttpRow[];
  soak: SoakResult[];
  frontend: FrontendResult | null;
  targets: TargetCheck[];
  notes: string[];
  /** Absent in runs from before the search module. */
  search?: SearchBenchResult | null;
}
