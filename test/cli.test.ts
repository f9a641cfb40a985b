import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { pgUrlForSchema, runCli } from './run-cli.ts';
import { adminQuery, TEST_PG_URL, testEngines } from './test-db.ts';

const dirs: string[] = [];
const schemas: string[] = [];
function tempDir() {
  const d = mkdtempSync(path.join(tmpdir(), 'outpost-cli-'));
  dirs.push(d);
  return d;
}
async function pgEnv() {
  const schema = `cli_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(`create schema ${schema}`);
  schemas.push(schema);
  return { DATA_DIR: tempDir(), DATABASE_URL: pgUrlForSchema(TEST_PG_URL, schema) };
}
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const s of schemas) await adminQuery(`drop schema if exists ${s} cascade`);
});

describe('outpost CLI', () => {
  it('prints help for every command and exits 0', async () => {
    const top = await runCli(['--help'], { DATA_DIR: tempDir() });
    expect(top.code).toBe(0);
    for (const cmd of ['serve', 'migrate', 'user', 'backup', 'restore', 'export', 'import', 'demo'])
      expect(top.stdout).toContain(cmd);
    for (const args of [
      ['user', 'add', '--help'],
      ['export', '--help'],
      ['demo', '--help'],
    ]) {
      expect((await runCli(args, { DATA_DIR: tempDir() })).code).toBe(0);
    }
  });

  it('answers bad input with a clear message and exit code 2', async () => {
    const env = { DATA_DIR: tempDir() };
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['bogus'], env, /unknown command/],
      [['user', 'add', 'x@example.org', '--role', 'emperor'], env, /--role must be one of/],
      [['user', 'add', 'not-an-email', '--role', 'admin'], env, /e-mail/],
      [['user', 'add', 'a@example.org', '--role', 'staff', '--office', 'NOPE'], env, /No office with code NOPE/],
      [['user', 'reset-password', 'nobody@example.org'], env, /No user/],
      [['export', '--office', 'XX', path.join(env.DATA_DIR, 'x.json')], env, /No office with code XX/],
      [['import', '/nonexistent/archive.json'], env, /Cannot read/],
      [['demo', '--scale', 'huge'], env, /--scale must be/],
      [['search', 'reindex', '--type', 'nope'], env, /No search source/],
      [['migrate'], { DATA_DIR: tempDir(), PORT: 'abc' }, /PORT must be a whole number/],
      [['migrate'], { DATA_DIR: '/etc/hostname/data' }, /DATA_DIR .* cannot be created or written/],
      [['migrate'], { DATA_DIR: tempDir(), DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
      [['migrate'], { DATA_DIR: tempDir(), LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
      [['migrate'], { DATA_DIR: tempDir(), OUTPOST_CONFIG: '/nonexistent.json' }, /OUTPOST_CONFIG: cannot read/],
    ];
    for (const [args, e, message] of cases) {
      const r = await runCli(args, e);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/); // no stack trace
    }
  });

  it('adds users (password from standard input, or a one-time password) and lists them', async () => {
    const env = { DATA_DIR: tempDir() };
    expect((await runCli(['demo'], env)).code).toBe(0);
    const reindex = await runCli(['search', 'reindex', '--type', 'incident', 'site'], env);
    expect(reindex.code, reindex.stderr).toBe(0);
    expect(reindex.stdout).toMatch(/incident: \d+ document\(s\) indexed/);
    expect((await runCli(['search', 'stats'], env)).stdout).toMatch(/^incident: \d+$/m);
    const piped = await runCli(
      ['user', 'add', 'Piped@Example.org', '--role', 'staff', '--office', 'TBS'],
      env,
      'a long enough password\n',
    );
    expect(piped.code).toBe(0);
    expect(piped.stdout).not.toContain('One-time password');
    const short = await runCli(
      ['user', 'add', 'short@example.org', '--role', 'staff', '--office', 'TBS'],
      env,
      'short\n',
    );
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/at least 12 characters/);
    const dup = await runCli(
      ['user', 'add', 'piped@example.org', '--role', 'staff', '--office', 'TBS'],
      env,
      'another long password\n',
    );
    expect(dup.code).toBe(2);
    const list = await runCli(['user', 'list', '--json'], env);
    const users = JSON.parse(list.stdout) as { email: string; officeCodes: string[] }[];
    expect(users.find((u) => u.email === 'piped@example.org')?.officeCodes).toEqual(['TBS']);
    expect(users.some((u) => u.email === 'short@example.org')).toBe(false);
    const tok = await runCli(['token', 'create', 'piped@example.org', '--name', 'sync', '--expires-days', '7'], env);
    expect(tok.code).toBe(0);
    expect(tok.stdout).toMatch(/^opt_[\w-]{43}$/m);
    expect(
      (await runCli(['token', 'create', 'piped@example.org', '--name', 'x', '--expires-days', 'soon'], env)).code,
    ).toBe(2);
    const reset = await runCli(['user', 'reset-password', 'piped@example.org'], env);
    expect(reset.stdout).toMatch(/^http:\/\/127\.0\.0\.1:3000\/reset-password#token=[\w-]{43}$/m);
  });

  it.runIf(testEngines().includes('postgres'))(
    'exports an office from SQLite, imports it into PostgreSQL, exports again: identical but for the timestamp',
    async () => {
      const lite = { DATA_DIR: tempDir() };
      expect((await runCli(['demo', '--scale', 'medium'], lite)).code).toBe(0);
      const a = path.join(lite.DATA_DIR, 'tbs-a.json');
      expect((await runCli(['export', '--office', 'TBS', a], lite)).code).toBe(0);

      const pgE = await pgEnv();
      const imp = await runCli(['import', a], pgE);
      expect(imp.stderr).toBe('');
      expect(imp.code).toBe(0);
      const b = path.join(lite.DATA_DIR, 'tbs-b.json');
      expect((await runCli(['export', '--office', 'TBS', b], pgE)).code).toBe(0);

      const [ja, jb] = [a, b].map((f) => JSON.parse(readFileSync(f, 'utf8')));
      expect(ja.exportedAt).not.toBe(jb.exportedAt);
      expect({ ...jb, exportedAt: ja.exportedAt }).toEqual(ja);
      expect(readFileSync(b, 'utf8').replace(jb.exportedAt, ja.exportedAt)).toBe(readFileSync(a, 'utf8'));
      expect(ja.sites.length).toBe(5);
      expect(ja.persons.length).toBeGreaterThan(30);

      // And back into a fresh SQLite: still identical.
      const lite2 = { DATA_DIR: tempDir() };
      expect((await runCli(['import', b], lite2)).code).toBe(0);
      const c = path.join(lite.DATA_DIR, 'tbs-c.json');
      await runCli(['export', '--office', 'TBS', c], lite2);
      const jc = JSON.parse(readFileSync(c, 'utf8'));
      expect({ ...jc, exportedAt: ja.exportedAt }).toEqual(ja);
    },
    60_000,
  );

  it('imports all or nothing: a broken or clashing archive changes nothing', async () => {
    const env = { DATA_DIR: tempDir() };
    await runCli(['demo'], env);
    const file = path.join(env.DATA_DIR, 'tbs.json');
    await runCli(['export', '--office', 'TBS', file], env);
    const archive = JSON.parse(readFileSync(file, 'utf8'));

    const again = await runCli(['import', file], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);

    const other = { DATA_DIR: tempDir() };
    const broken = structuredClone(archive);
    broken.office.code = 'NEW';
    broken.office.id = '01900000-0000-7000-8000-000000000001';
    broken.sites[3].latitude = 'north';
    const brokenFile = path.join(other.DATA_DIR, 'broken.json');
    writeFileSync(brokenFile, JSON.stringify(broken));
    const r = await runCli(['import', brokenFile], other);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sites\.3\.latitude/);
    writeFileSync(brokenFile, '{"format": "outpost.office-archive", "formatVersion": 1, ');
    expect((await runCli(['import', brokenFile], other)).stderr).toMatch(/not valid JSON/);
    writeFileSync(brokenFile, JSON.stringify({ ...archive, formatVersion: 99 }));
    expect((await runCli(['import', brokenFile], other)).stderr).toMatch(/version 99 is not supported/);
    const list = await runCli(['export', '--office', 'NEW', path.join(other.DATA_DIR, 'n.json')], other);
    expect(list.stderr).toMatch(/No office with code NEW/);
  });

  it('backs up SQLite online and restores into a fresh installation', async () => {
    const env = { DATA_DIR: tempDir() };
    await runCli(['demo'], env);
    const file = path.join(env.DATA_DIR, 'backup.db');
    const b = await runCli(['backup', file], env);
    expect(b.code).toBe(0);
    expect((await runCli(['backup', file], env)).code).toBe(2); // refuses to overwrite
    const fresh = { DATA_DIR: tempDir() };
    const r = await runCli(['restore', file], fresh);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const counts = (s: string) => s.split('\n').find((l) => l.startsWith('offices:'));
    expect(counts(r.stdout)).toBe(counts(b.stdout));
    const verified = await runCli(['audit', 'verify'], fresh);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/Audit trail intact: \d+ entries/);
    // Alter one entry directly in the SQLite file: verify fails and names it.
    const raw = new Database(path.join(fresh.DATA_DIR, 'outpost.db'));
    raw.prepare("update audit_log set actor_label = 'someone else' where seq = 3").run();
    raw.close();
    const broken = await runCli(['audit', 'verify'], fresh);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/BROKEN at entry 3/);
    expect((await runCli(['restore', file], fresh)).code).toBe(2); // has data now: needs --force
    writeFileSync(path.join(env.DATA_DIR, 'junk.db'), 'not a backup');
    const junk = await runCli(['restore', path.join(env.DATA_DIR, 'junk.db')], { DATA_DIR: tempDir() });
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/neither an Outpost SQLite backup nor/);
  });

  it.runIf(testEngines().includes('postgres'))('backs up PostgreSQL logically and restores it', async () => {
    const env = await pgEnv();
    expect((await runCli(['demo'], env)).code).toBe(0);
    const file = path.join(env.DATA_DIR, 'backup.json');
    const b = await runCli(['backup', file], env);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    const fresh = await pgEnv();
    const r = await runCli(['restore', file], fresh);
    expect(r.code).toBe(0);
    const counts = (s: string) => s.split('\n').find((l) => l.startsWith('offices:'));
    expect(counts(r.stdout)).toBe(counts(b.stdout));
    const e1 = path.join(env.DATA_DIR, 'e1.json');
    const e2 = path.join(env.DATA_DIR, 'e2.json');
    await runCli(['export', '--office', 'TBS', e1], env);
    await runCli(['export', '--office', 'TBS', e2], fresh);
    const [x, y] = [e1, e2].map((f) => JSON.parse(readFileSync(f, 'utf8')));
    expect({ ...y, exportedAt: x.exportedAt }).toEqual(x);
  });
});
