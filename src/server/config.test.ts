import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('configuration', () => {
  it('has safe defaults: loopback only, port 3000, ./data, SQLite', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      baseUrl: 'http://127.0.0.1:3000',
      cookieSecure: false,
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.dataDir).toBe(path.resolve('./data'));
  });

  it('reads an optional JSON file, the environment winning', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'outpost-cfg-'));
    const file = path.join(dir, 'outpost.json');
    writeFileSync(file, JSON.stringify({ PORT: 8080, LOG_LEVEL: 'warn', BASE_URL: 'https://outpost.example.org/' }));
    const c = loadConfig({ OUTPOST_CONFIG: file, LOG_LEVEL: 'debug' });
    expect(c).toMatchObject({
      PORT: 8080,
      LOG_LEVEL: 'debug',
      baseUrl: 'https://outpost.example.org',
      cookieSecure: true,
    });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number from 0 to 65535 \(got "70000"\)/],
    [{ DATABASE_URL: 'mysql://localhost/x' }, /DATABASE_URL must be a postgres/],
    [{ BASE_URL: 'ftp://x' }, /BASE_URL must be an http/],
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL must be one of/],
    [{ BODY_LIMIT_BYTES: '12' }, /BODY_LIMIT_BYTES must be a whole number/],
    [{ OUTPOST_CONFIG: '/no/such/file.json' }, /OUTPOST_CONFIG: cannot read/],
  ])('stops on %o with a message naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('rejects a config file that is not a JSON object, or names unknown settings', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'outpost-cfg-'));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '[1,2]');
    expect(() => loadConfig({ OUTPOST_CONFIG: bad })).toThrow(/must be a JSON object/);
    writeFileSync(bad, '{"PROT": 1}');
    expect(() => loadConfig({ OUTPOST_CONFIG: bad })).toThrow(/unknown setting PROT/);
  });
});
