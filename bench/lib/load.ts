import autocannon from 'autocannon';
import type { Engine, HttpRow, Server } from './results.ts';

export interface LoadCase {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  /** Path and query string. */
  path: string;
  body?: string;
  /**
   * For requests that differ one from the next (an update carries the version it read): called once per
   * autocannon run (the warm-up and the measured run each get their own), it gives each request its path
   * and body and sees each response. Without it every request is `method path body`.
   */
  perRun?: () => DynamicRequest;
}

/** autocannon's per-request hooks; `context` is the connection's, for the time of one request. */
export interface DynamicRequest {
  setupRequest: (req: autocannon.Request, context: Record<string, unknown>) => autocannon.Request;
  onResponse: (status: number, body: string, context: Record<string, unknown>) => void;
}

export interface LoadSettings {
  connections: number;
  durationS: number;
  warmupS: number;
}

export interface LoadOutcome {
  rps: number;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  durationS: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

function fire(
  url: string,
  c: LoadCase,
  headers: Record<string, string>,
  connections: number,
  durationS: number,
  onResponse?: (status: number, ms: number) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: url + c.path,
        method: c.method,
        headers: { ...headers, ...(c.body || c.perRun ? { 'content-type': 'application/json' } : {}) },
        ...(c.body ? { body: c.body } : {}),
        ...(c.perRun ? { requests: [c.perRun() as autocannon.Request] } : {}),
        connections,
        duration: durationS,
        timeout: 10,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    if (onResponse)
      instance.on('response', (_client, status, _bytes, responseTime) => onResponse(status, responseTime));
  });
}

/**
 * One measured run: a warm-up (JIT, connection pools, caches) that is thrown away, then `durationS`
 * seconds at `connections` concurrent keep-alive connections. Latency is every response's own time
 * (autocannon's histogram has no p95); a non-2xx response counts as an error.
 */
export async function runLoad(
  baseUrl: string,
  c: LoadCase,
  headers: Record<string, string>,
  s: LoadSettings,
): Promise<LoadOutcome> {
  if (s.warmupS > 0) await fire(baseUrl, c, headers, s.connections, s.warmupS);
  let times = new Float64Array(1 << 16);
  let n = 0;
  let ok = 0;
  let bad = 0;
  const result = await fire(baseUrl, c, headers, s.connections, s.durationS, (status, ms) => {
    if (status < 200 || status > 299) {
      bad++;
      return;
    }
    ok++;
    if (n === times.length) {
      const bigger = new Float64Array(times.length * 2);
      bigger.set(times);
      times = bigger;
    }
    times[n++] = ms;
  });
  const sorted = times.subarray(0, n).sort();
  const durationS = result.duration || s.durationS;
  return {
    rps: ok / durationS,
    requests: ok + bad,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: n ? (sorted[n - 1] as number) : Number.NaN,
    errors: result.errors + Math.max(bad, result.non2xx),
    durationS,
  };
}

export function toRow(engine: Engine, server: Server, c: LoadCase, o: LoadOutcome, peakRssMiB: number | null): HttpRow {
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    engine,
    server,
    case: c.name,
    request: `${c.method} ${c.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/cursor=[^&]+/, 'cursor=…')}`,
    rps: Math.round(o.rps),
    requests: o.requests,
    p50: r2(o.p50),
    p95: r2(o.p95),
    p99: r2(o.p99),
    max: r2(o.max),
    errors: o.errors,
    peakRssMiB: peakRssMiB === null ? null : Math.round(peakRssMiB),
  };
}
