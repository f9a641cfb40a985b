import { describe, expect, it } from 'vitest';
import { evaluateTargets, ratio, renderMarkdown, signInComparisons } from '../bench/lib/report.ts';
import type { BenchResults, HttpRow } from '../bench/lib/results.ts';

const row = (over: Partial<HttpRow>): HttpRow => ({
  engine: 'sqlite',
  server: 'outpost',
  case: 'auth.login',
  request: 'POST /api/v1/auth/login',
  rps: 40,
  requests: 120,
  p50: 180,
  p95: 250,
  p99: 300,
  max: 320,
  errors: 0,
  peakRssMiB: 260,
  ...over,
});

function fake(): BenchResults {
  return {
    format: 'outpost-bench',
    version: 1,
    date: '2026-11-28T12:00:00.000Z',
    mode: 'quick',
    totalSeconds: 110,
    machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 8, node: 'v24.0.0', os: 'Linux 6' },
    settings: {
      connections: 50,
      durationS: 2,
      warmupS: 1,
      logLevel: 'info',
      clusterMode: 'node:cluster',
      signInConnections: 8,
    },
    engines: ['sqlite', 'postgres'],
    datasets: [],
    startup: [],
    http: [
      row({ case: 'sites.get', request: 'GET /api/v1/sites/:id', rps: 1600, p99: 140 }),
      row({}),
      row({ server: 'bare-argon2', rps: 64, peakRssMiB: 150 }),
      row({ engine: 'postgres', case: 'sites.get', request: 'GET /api/v1/sites/:id', rps: 1000 }),
      row({ engine: 'postgres', rps: 25, errors: 2 }),
    ],
    soak: [],
    frontend: null,
    targets: [],
    notes: [],
  };
}

describe('bench report: sign-in (issue #3)', () => {
  it('sets sign-ins against the bare argon2id baseline (measured once) and against an authenticated read', () => {
    const r = fake();
    expect(ratio(r.http, r.http[1] as HttpRow, 'bare-argon2')).toBeCloseTo(40 / 64);
    const [sqlite, postgres] = signInComparisons(r);
    expect(sqlite).toMatchObject({ engine: 'sqlite', readsPerSignIn: 40 });
    expect(sqlite?.vsBare).toBeCloseTo(0.625);
    expect(postgres).toMatchObject({ engine: 'postgres', readsPerSignIn: 40 });
    expect(postgres?.vsBare).toBeCloseTo(25 / 64);
  });

  it('reports sign-in without a verdict, and counts its errors with every other Outpost run', () => {
    const r = fake();
    const t = evaluateTargets(r);
    const get = (name: string) => t.find((x) => x.name.startsWith(name));
    expect(get('sign-in (sqlite)')).toMatchObject({
      name: 'sign-in (sqlite): auth.login at 8 connections',
      target: 'reported',
      met: null,
      measured: '40/s, p99 300 ms; 63 % of bare argon2id (64/s)',
    });
    expect(get('argon2 once per sign-in, not per request (postgres)')).toMatchObject({
      met: null,
      measured: 'sites.get 1,000/s = 40× sign-ins/s',
    });
    expect(get('errors')).toMatchObject({ met: false, measured: 'auth.login postgres/outpost: 2' });
  });

  it('renders a Sign-in section with the ratio and why authenticated requests do not run argon2', () => {
    const r = fake();
    r.targets = evaluateTargets(r);
    const md = renderMarkdown(r);
    expect(md).toContain('50 connections (sign-in rows: 8, argon2 is CPU-bound)');
    expect(md).toContain('## Sign-in (issue #3)');
    expect(md).toContain('| sqlite | 40 | 180 ms | 300 ms | 0 | 64 | 63 % | 1,600 | 40× |');
    expect(md).toContain('| any | bare node:http + argon2id verify | auth.login | 64 |');
    expect(md).toContain('looks its token up by its SHA-256 hash (no argon2)');
    expect(md).toContain('more than the 64 argon2id verifies per second the bare server manages (sqlite, postgres)');
    expect(md).toContain('## Targets (issue #6; sign-in: issue #3)');
  });

  it('leaves the section out when sign-in was not measured', () => {
    const r = fake();
    r.http = r.http.filter((h) => h.case !== 'auth.login');
    expect(signInComparisons(r)).toEqual([]);
    expect(renderMarkdown(r)).not.toContain('## Sign-in');
  });
});
