import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../src/server/db/database.ts';
import { systemClock } from '../src/server/lib/clock.ts';
import { createAuditService } from '../src/server/modules/audit/audit.service.ts';
import { runCli } from './run-cli.ts';
import { recordVerification } from './verification.ts';

/**
 * Crash safety: the real server is killed with SIGKILL while clients write; after every restart each
 * acknowledged write is there, nothing is half-written (each site has its audit entry), the file passes
 * SQLite's integrity check and the audit chain verifies. Quick profile here; `npm run verify` runs 20 rounds.
 */
const ROUNDS = Number(process.env.OUTPOST_CRASH_ROUNDS ?? 3);
const MAIN = path.resolve('src/server/main.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'outpost-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      const m = out.match(/"port":(\d+).*"msg":"Outpost is ready"/);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
}

describe('crash safety (SIGKILL while writing)', () => {
  it(`keeps every acknowledged write over ${ROUNDS} kill rounds`, async () => {
    const env = { DATA_DIR: dir };
    expect(
      (await runCli(['user', 'add', 'crash@example.org', '--role', 'admin'], env, 'violet tractor unfolds quietly\n'))
        .code,
    ).toBe(0);
    const acknowledged: string[] = [];
    let officeId = '';
    for (let round = 0; round < ROUNDS; round++) {
      const { child, port } = await start();
      const base = `http://127.0.0.1:${port}`;
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'crash@example.org', password: 'violet tractor unfolds quietly' }),
      });
      const cookie = String(login.headers.get('set-cookie')).split(';')[0] ?? '';
      const headers = { 'content-type': 'application/json', cookie };
      if (!officeId) {
        const office = await fetch(`${base}/api/v1/offices`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ code: 'CRS', name: 'Crash office', countries: ['GE'], timezone: 'UTC' }),
        });
        officeId = ((await office.json()) as { id: string }).id;
      }
      let killed = false;
      const writer = async (w: number) => {
        for (let i = 0; !killed; i++) {
          try {
            const res = await fetch(`${base}/api/v1/offices/${officeId}/sites`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ name: `r${round} w${w} #${i}`, kind: 'other', country: 'GE' }),
            });
            if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
          } catch {
            return; // the server died mid-request: not acknowledged
          }
        }
      };
      const writers = Array.from({ length: 6 }, (_, w) => writer(w));
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
      const exited = new Promise((r) => child.once('exit', r));
      killed = true;
      child.kill('SIGKILL');
      await Promise.all(writers);
      await exited;
    }
    expect(acknowledged.length).toBeGreaterThan(ROUNDS * 5);

    const raw = new Database(path.join(dir, 'outpost.db'));
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    const present = new Set((raw.prepare('select id from sites').all() as { id: string }[]).map((r) => r.id));
    const audited = new Set(
      (
        raw.prepare("select entity_id from audit_log where action = 'site.create'").all() as { entity_id: string }[]
      ).map((r) => r.entity_id),
    );
    raw.close();
    const lost = acknowledged.filter((id) => !present.has(id));
    const halfWritten = [...present].filter((id) => !audited.has(id));
    recordVerification({
      key: '1-crash',
      check: `crash safety: SIGKILL under concurrent writes, ${ROUNDS} rounds`,
      measured: `${ROUNDS} rounds survived; ${acknowledged.length} acknowledged writes, ${lost.length} lost; ${halfWritten.length} half-written`,
      requirement: 'acknowledged writes lost = 0, half-written = 0',
      ok: lost.length === 0 && halfWritten.length === 0,
    });
    expect(lost).toEqual([]);
    expect(halfWritten).toEqual([]);

    const db = openSqlite(path.join(dir, 'outpost.db'));
    try {
      expect(
        await createAuditService({ db: db.db, dialect: 'sqlite', clock: systemClock }).verify(db.db),
      ).toMatchObject({ ok: true });
    } finally {
      await db.close();
    }
  }, 120_000);
});
