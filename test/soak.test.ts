import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { percentile } from '../bench/lib/load.ts';
import { freePort, sampleRss, startServer } from '../bench/lib/processes.ts';
import { runCli } from './run-cli.ts';
import { recordVerification } from './verification.ts';

/**
 * Load and soak (issue #7): the real server (a child process, SQLite) under a mixed read/write load at a
 * FIXED rate for OUTPOST_SOAK_SECONDS (quick profile in `npm test`: 60 s; `npm run verify`: 600 s).
 * Always enforced: zero errors, every acknowledged create present with its audit entry. p99 (≤ 50 ms, the
 * benchmark target) and RSS growth after warm-up (< 10 %) are measured and shown in the verification
 * summary; they fail the run only in the long profile (OUTPOST_SOAK_STRICT=1), because in `npm test` other
 * test files share the machine's two cores and their CPU bursts land in this process's latency.
 */
const SECONDS = Number(process.env.OUTPOST_SOAK_SECONDS ?? 60);
const STRICT = process.env.OUTPOST_SOAK_STRICT === '1';
const RATE = Number(process.env.OUTPOST_SOAK_RATE ?? 100); // requests per second, all connections together
const P99_TARGET_MS = 50;
const RSS_GROWTH_LIMIT = 0.1;
const MAIN = path.resolve('src/server/main.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'outpost-soak-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

describe('load and soak (fixed rate, mixed reads and writes)', () => {
  it(
    `serves ${RATE} req/s for ${SECONDS} s without an error, losing nothing, memory flat`,
    async () => {
      const password = 'quiet harbour lanterns glow';
      expect(
        (await runCli(['user', 'add', 'soak@example.org', '--role', 'admin'], { DATA_DIR: dir }, `${password}\n`)).code,
      ).toBe(0);
      const port = await freePort();
      const server = await startServer({
        script: MAIN,
        // vitest sets BASE_URL=/ in the environment the child inherits: give the server its real one.
        env: { DATA_DIR: dir, LOG_LEVEL: 'info', BASE_URL: `http://127.0.0.1:${port}` },
        logFile: path.join(dir, 'server.log'),
        port,
        readyMsg: 'Outpost is ready',
        cwd: process.cwd(),
      });
      try {
        const base = `http://127.0.0.1:${port}`;
        const login = await fetch(`${base}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'soak@example.org', password }),
        });
        expect(login.status).toBe(200);
        const cookie = String(login.headers.get('set-cookie')).split(';')[0] ?? '';
        const headers = { 'content-type': 'application/json', cookie };
        const office = await fetch(`${base}/api/v1/offices`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ code: 'SOAK', name: 'Soak office', countries: ['GE'], timezone: 'Asia/Tbilisi' }),
        });
        const officeId = ((await office.json()) as { id: string }).id;

        let n = 0;
        const created: string[] = [];
        const times: number[] = [];
        let bad = 0;
        const rss = sampleRss(server.pid, 500);
        const result = await new Promise<autocannon.Result>((resolve, reject) => {
          const instance = autocannon(
            {
              url: base,
              connections: 10,
              overallRate: RATE,
              duration: SECONDS,
              timeout: 10,
              headers,
              requests: [
                { method: 'GET', path: `/api/v1/offices/${officeId}/sites?limit=20` },
                {
                  method: 'POST',
                  path: `/api/v1/offices/${officeId}/sites`,
                  setupRequest: (req) => ({
                    ...req,
                    body: JSON.stringify({
                      name: `Soak site ${++n}`,
                      kind: 'other',
                      country: 'GE',
                      notes: 'x'.repeat(200),
                    }),
                  }),
                  onResponse: (status, body) => {
                    if (status === 201) created.push((JSON.parse(body) as { id: string }).id);
                  },
                },
                { method: 'GET', path: `/api/v1/offices/${officeId}` },
                { method: 'GET', path: '/api/v1/auth/me' },
              ],
            },
            (err, res) => (err ? reject(err) : resolve(res)),
          );
          instance.on('response', (_client, status, _bytes, ms) => {
            if (status < 200 || status > 299) bad++;
            else times.push(ms);
          });
        });
        const samples = rss.stop();

        const requests = times.length + bad;
        const errors = result.errors + result.timeouts + Math.max(bad, result.non2xx);
        const p99 = percentile(
          [...times].sort((a, b) => a - b),
          99,
        );
        // Warm-up is the first fifth; growth compares the second fifth with the last.
        const fifth = Math.max(1, Math.floor(samples.length / 5));
        const early = median(samples.slice(fifth, 2 * fifth));
        const late = median(samples.slice(-fifth));
        const growth = (late - early) / early;

        await server.stop();
        const db = new Database(path.join(dir, 'outpost.db'), { readonly: true });
        const present = new Set((db.prepare('select id from sites').all() as { id: string }[]).map((r) => r.id));
        const audited = new Set(
          (
            db.prepare("select entity_id from audit_log where action = 'site.create'").all() as { entity_id: string }[]
          ).map((r) => r.entity_id),
        );
        db.close();
        const lost = created.filter((id) => !present.has(id) || !audited.has(id));

        const p99Ok = p99 <= P99_TARGET_MS;
        const rssOk = growth < RSS_GROWTH_LIMIT;
        recordVerification({
          key: '5-soak',
          check: `load and soak: ${RATE} req/s fixed rate for ${SECONDS} s, 10 connections, reads + creates (SQLite)`,
          measured: `${requests} requests, ${errors} errors, ${created.length} creates (${lost.length} lost); p99 ${p99.toFixed(1)} ms${p99Ok ? '' : ' ✗'}; RSS ${early.toFixed(0)} → ${late.toFixed(0)} MiB after warm-up (${(growth * 100).toFixed(1)} %${rssOk ? '' : ' ✗'})`,
          requirement: `errors = 0, nothing lost${STRICT ? '' : ' (enforced here)'}; p99 ≤ ${P99_TARGET_MS} ms and RSS growth < 10 %${STRICT ? '' : ' (enforced in npm run verify)'}`,
          ok: errors === 0 && lost.length === 0 && (!STRICT || (p99Ok && rssOk)),
        });
        expect(errors).toBe(0);
        expect(requests).toBeGreaterThan(RATE * SECONDS * 0.8);
        expect(lost).toEqual([]);
        if (STRICT) {
          expect(p99).toBeLessThanOrEqual(P99_TARGET_MS);
          expect(growth).toBeLessThan(RSS_GROWTH_LIMIT);
        }
      } finally {
        await server.stop();
      }
    },
    (SECONDS + 120) * 1000,
  );
});
