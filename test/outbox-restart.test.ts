import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from './notification-sinks.ts';
import { runCli } from './run-cli.ts';

/**
 * The outbox survives a restart (issue #4): the real server process, with its scheduler, is stopped
 * while an e-mail is queued and the SMTP server is down; both come back and the message is delivered
 * exactly once.
 */
const MAIN = path.resolve('src/server/main.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'outpost-outbox-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const ENV = { DATA_DIR: dir, OUTBOX_POLL_SECONDS: '1', OUTBOX_RETRY_BASE_SECONDS: '1' };

function start(): Promise<{ child: ChildProcess; base: string; log: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'info', ...ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      const m = out.match(/"port":(\d+).*"msg":"Outpost is ready"/);
      if (m) resolve({ child, base: `http://127.0.0.1:${m[1]}`, log: () => out });
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    child.once('exit', (code) => reject(new Error(`server exited early (${code}): ${out}`)));
  });
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  return exited;
}

function outboxRows() {
  const raw = new Database(path.join(dir, 'outpost.db'), { readonly: true });
  try {
    return raw.prepare('select id, status, attempts, last_error from notification_outbox').all() as {
      id: string;
      status: string;
      attempts: number;
      last_error: string | null;
    }[];
  } finally {
    raw.close();
  }
}

describe('outbox across a restart (real server process)', () => {
  it('a message queued while SMTP is down is delivered exactly once after both restart', async () => {
    const password = 'quiet lantern over the harbour';
    expect((await runCli(['user', 'add', 'outbox@example.org', '--role', 'admin'], ENV, `${password}\n`)).code).toBe(0);
    let smtp = await startSmtpSink();
    const smtpPort = smtp.port;

    const first = await start();
    const login = await fetch(`${first.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'outbox@example.org', password }),
    });
    expect(login.status).toBe(200);
    const headers = {
      'content-type': 'application/json',
      cookie: String(login.headers.get('set-cookie')).split(';')[0] ?? '',
    };
    const put = await fetch(`${first.base}/api/v1/admin/smtp`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({
        host: '127.0.0.1',
        port: smtpPort,
        security: 'none',
        fromAddress: 'outpost@example.org',
        version: 0,
      }),
    });
    expect(put.status).toBe(200);

    // SMTP goes down; the action (send a test e-mail to myself) still succeeds, the message is queued.
    await smtp.close();
    const test = await fetch(`${first.base}/api/v1/admin/smtp/test`, {
      method: 'POST',
      headers: { cookie: headers.cookie },
    });
    expect(test.status).toBe(200);
    const result = (await test.json()) as { delivered: boolean; deliveryId: string };
    expect(result.delivered).toBe(false);
    // The scheduler in the server keeps retrying (every second here) while SMTP is down.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await stop(first.child)).toBe(0);

    const queued = outboxRows();
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ id: result.deliveryId, status: 'pending' });
    expect(queued[0]?.attempts).toBeGreaterThanOrEqual(2); // the button's try, then the worker's retries
    expect(queued[0]?.last_error).toContain('ECONNREFUSED');

    // Both come back.
    smtp = await startSmtpSink(smtpPort);
    const second = await start();
    try {
      const mails = await smtp.waitFor(1, 20_000);
      expect(mails[0]?.to).toEqual(['outbox@example.org']);
      expect(mails[0]?.subject).toBe('Outpost test message');
      expect(mails[0]?.headers['x-outpost-delivery']).toBe(result.deliveryId);
      // Exactly once: a few more worker ticks send nothing more.
      await new Promise((r) => setTimeout(r, 3000));
      expect(smtp.mails).toHaveLength(1);
    } finally {
      expect(await stop(second.child)).toBe(0);
      await smtp.close();
    }
    expect(outboxRows()[0]).toMatchObject({ id: result.deliveryId, status: 'delivered' });
  }, 90_000);
});
