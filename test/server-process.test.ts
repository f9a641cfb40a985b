import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureServerBuilt, SERVER_MAIN, SERVER_NODE_FLAGS } from '../scripts/server-build.js';

const MAIN = path.resolve('src/server/main.ts');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  readyMs: number;
}

/** Starts the real server as a user would (node src/server/main.ts) and waits for "Outpost is ready". */
function start(env: Record<string, string>, args: string[] = [MAIN]): Promise<Started> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => {
      out += d;
      const m = out.match(/"port":(\d+).*"msg":"Outpost is ready"/);
      if (m) resolve({ child, port: Number(m[1]), stdout: () => out, readyMs: performance.now() - t0 });
    });
    child.stderr?.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('the server process', () => {
  it('starts on a fresh data directory, is ready, prints the first admin password once and never again', async () => {
    const DATA_DIR = mkdtempSync(path.join(tmpdir(), 'outpost-proc-'));
    dirs.push(DATA_DIR);
    const first = await start({ DATA_DIR });
    process.stdout.write(`server ready in ${first.readyMs.toFixed(0)} ms (process start to listening)\n`);
    const ready = await fetch(`http://127.0.0.1:${first.port}/api/ready`);
    expect(ready.status).toBe(200);
    const password = first.stdout().match(/password\s+(\S+)\s+\(one-time/)?.[1];
    expect(password).toMatch(/^\w{5}-\w{5}-\w{5}-\w{5}$/);
    // The password never reaches the structured log.
    expect(
      first
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('{') && l.includes(password ?? '~')),
    ).toEqual([]);

    const login = await fetch(`http://127.0.0.1:${first.port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@outpost.local', password }),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(true);

    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);

    const second = await start({ DATA_DIR });
    expect(second.stdout()).not.toContain('one-time');
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  });

  it('on SIGTERM finishes the request in flight, then exits cleanly', async () => {
    const DATA_DIR = mkdtempSync(path.join(tmpdir(), 'outpost-proc-'));
    dirs.push(DATA_DIR);
    const s = await start({ DATA_DIR });
    const body = JSON.stringify({ email: 'admin@outpost.local', password: 'wrong password here' });
    const response = new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: s.port,
          path: '/api/v1/auth/login',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      // Half the body now; SIGTERM; the rest later: the request is in flight during shutdown.
      req.write(body.slice(0, 10));
      setTimeout(() => {
        s.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 100);
    });
    expect(await response).toBe(401);
    expect(await exited(s.child)).toBe(0);
    expect(s.stdout()).toContain('stopped cleanly');
  });

  it('runs as `npm start` runs it: built to JavaScript (no type stripping), with its Node flags', async () => {
    ensureServerBuilt({ quiet: true });
    const DATA_DIR = mkdtempSync(path.join(tmpdir(), 'outpost-proc-'));
    dirs.push(DATA_DIR);
    const s = await start({ DATA_DIR }, [...SERVER_NODE_FLAGS, SERVER_MAIN]);
    const ready = await fetch(`http://127.0.0.1:${s.port}/api/ready`);
    expect(ready.status).toBe(200);
    const problem = await fetch(`http://127.0.0.1:${s.port}/api/v1/offices`);
    expect(problem.status).toBe(401);
    expect(problem.headers.get('content-type')).toMatch(/application\/problem\+json/);
    s.child.kill('SIGTERM');
    expect(await exited(s.child)).toBe(0);
  });

  it('refuses to start with a bad setting, naming it', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, PORT: '99999' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (d) => {
      err += d;
    });
    expect(await exited(child)).toBe(2);
    expect(err).toMatch(/PORT must be a whole number from 0 to 65535 \(got "99999"\)/);
  });
});
