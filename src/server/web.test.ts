import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_START } from '../../test/build-test-app.ts';
import { type TestDatabase, testDatabase } from '../../test/test-db.ts';
import { buildApp, type OutpostApp } from './app.ts';
import { loadConfig } from './config.ts';
import { fixedClock } from './lib/clock.ts';
import { silentLogger } from './lib/logger.ts';

describe('serving the web app', () => {
  let app: OutpostApp;
  let db: TestDatabase;
  beforeAll(async () => {
    const dist = mkdtempSync(path.join(tmpdir(), 'outpost-dist-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Outpost</title>');
    writeFileSync(path.join(dist, 'assets', 'main-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(dist, 'assets', 'main-abc123.js.br'), brotliCompressSync('console.log(1)'));
    db = await testDatabase('sqlite');
    app = await buildApp({
      config: loadConfig({ DATA_DIR: db.dataDir }),
      database: db.database,
      clock: fixedClock(TEST_START),
      logger: silentLogger,
      webDist: dist,
    });
  });
  afterAll(async () => {
    await app.close();
    await db.cleanup();
  });

  it('serves index.html for the root and for client-side routes, with a strict CSP', async () => {
    for (const url of ['/', '/offices/123', '/login']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<title>Outpost</title>');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('serves hashed assets as immutable and answers a missing one with 404', async () => {
    const js = await app.inject('/assets/main-abc123.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await app.inject('/assets/missing.js')).statusCode).toBe(404);
    const br = await app.inject({ url: '/assets/main-abc123.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect((await app.inject('/../../etc/passwd')).statusCode).toBe(404);
  });
});
