import { describe, expect, it } from 'vitest';
import { percentile } from '../bench/lib/load.ts';
import { evaluateTargets, ratio, renderMarkdown } from '../bench/lib/report.ts';
import type { BenchResults, HttpRow } from '../bench/lib/results.ts';

const row = (over: Partial<HttpRow>): HttpRow => ({
  engine: 'sqlite',
  server: 'outpost',
  case: 'sites.get',
  request: 'GET /api/v1/sites/:id',
  rps: 1000,
  requests: 10_000,
  p50: 10,
  p95: 20,
  p99: 30,
  max: 40,
  errors: 0,
  peakRssMiB: 200,
  ...over,
});

function fake(): BenchResults {
  return {
    format: 'outpost-bench',
    version: 1,
    date: '2026-11-28T12:00:00.000Z',
    mode: 'quick',
    totalSeconds: 90,
    machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 8, node: 'v24.0.0', os: 'Linux 6' },
    settings: { connections: 50, durationS: 2, warmupS: 1, logLevel: 'info', clusterMode: 'node:cluster' },
    engines: ['sqlite'],
    datasets: [
      {
        engine: 'sqlite',
        volume: {},
        seconds: 2,
        offices: 10,
        sites: 9500,
        people: 503,
        auditEntries: 50_000,
        listedOfficeSites: 5000,
      },
    ],
    startup: [{ engine: 'sqlite', readyMs: [700, 650, 800], selfReportedMs: [100, 90, 95], idleRssMiB: 120 }],
    http: [
      row({ rps: 1400, p99: 30 }),
      row({ server: 'bare-json', rps: 20_000, peakRssMiB: 90 }),
      row({ server: 'bare-sqlite', rps: 2000, peakRssMiB: 100 }),
      row({ case: 'sites.list', rps: 500, p99: 80, errors: 3 }),
      row({ case: 'sites.list', server: 'bare-sqlite', rps: 600 }),
      row({ case: 'sites.create', rps: 1200, peakRssMiB: 400 }),
    ],
    soak: [
      {
        engine: 'sqlite',
        case: 'sites.list',
        seconds: 10,
        samples: [300, 310, 320],
        growthMiB: 20,
        peakRssMiB: 320,
        rps: 500,
        errors: 0,
      },
    ],
    frontend: null,
    targets: [],
    notes: ['a note'],
  };
}

describe('bench report', () => {
  it('gives Outpost throughput as a ratio to each baseline of the same case', () => {
    const r = fake();
    const outpost = r.http[0] as HttpRow;
    expect(ratio(r.http, outpost, 'bare-json')).toBeCloseTo(0.07);
    expect(ratio(r.http, outpost, 'bare-db')).toBeCloseTo(0.7);
    expect(ratio(r.http, r.http[1] as HttpRow, 'bare-db')).toBeNull();
  });

  it('marks each target met or not, and what cannot be measured yet as such', () => {
    const r = fake();
    const t = evaluateTargets(r);
    const get = (name: string) => t.find((x) => x.name.startsWith(name));
    expect(get('sites.get (sqlite): throughput')?.met).toBe(true); // exactly 70 %
    expect(get('sites.get (sqlite): p99')?.met).toBe(true);
    expect(get('sites.list (sqlite): throughput')?.met).toBe(true); // 83 %
    expect(get('sites.list (sqlite): p99')?.met).toBe(false);
    expect(get('errors')).toMatchObject({ met: false, measured: 'sites.list sqlite/outpost: 3' });
    expect(get('creates')?.met).toBe(true);
    expect(get('full-text search')?.met).toBeNull();
    expect(get('server ready')).toMatchObject({ met: true, measured: '700 ms' });
    expect(get('idle RSS')?.met).toBe(true);
    expect(get('RSS under load')).toMatchObject({ met: false, measured: '400 MiB (sites.create, sqlite)' });
    // A 10 s soak is reported but not judged against a 60 s target.
    expect(get('RSS flat')?.met).toBeNull();
    expect(get('initial JS')?.met).toBeNull();
    expect(get('this run')?.met).toBe(true);
  });

  it('renders the header, every row and the targets as Markdown', () => {
    const r = fake();
    r.targets = evaluateTargets(r);
    const md = renderMarkdown(r);
    expect(md).toContain('# Outpost benchmarks (quick run)');
    expect(md).toContain('2 cores (Test CPU), 8.0 GiB memory, Linux 6, Node v24.0.0');
    expect(md).toContain(
      'sqlite 10 offices, 503 people, 9,500 sites (5,000 in the listed office), 50,000 audit entries',
    );
    expect(md).toContain(
      '| sqlite | Outpost | sites.get | 1,400 | 10.0 ms | 20.0 ms | 30.0 ms | 0 | 200 MiB | 7 % | 70 % |',
    );
    expect(md).toContain('| ✗ | sites.list (sqlite): p99 at 50 connections | ≤ 50 ms | 80.0 ms |');
    expect(md).toContain(
      '| — | full-text search over 1,000,000 records: p95 | ≤ 50 ms | n/a | not measured in this run |',
    );
    expect(md).toContain('The web app is not built');
    expect(md.endsWith('\n')).toBe(true);
  });

  it('takes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile([5], 99)).toBe(5);
    expect(percentile([], 50)).toBeNaN();
  });
});
