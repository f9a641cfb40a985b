import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Generated, type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from './database.ts';

/**
 * Group commit on SQLite (ADR 0013): concurrent transactions share one COMMIT, each is acknowledged only
 * once that COMMIT is done, a failing one takes only itself down, and reads never see a group before it
 * is durable. Real files, real better-sqlite3; nothing mocked.
 */

interface T {
  items: { id: Generated<number>; name: string; parent: number | null };
  parents: { id: number };
}

// biome-ignore lint/suspicious/noExplicitAny: the test's own tables are not in Outpost's schema.
type AnyDb = Kysely<any>;

describe('SQLite group commit', () => {
  let dir: string;
  let file: string;
  let handle: ReturnType<typeof openSqlite>;
  let db: Kysely<T>;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'outpost-group-commit-'));
    file = path.join(dir, 'outpost.db');
    handle = openSqlite(file);
    db = handle.db as unknown as Kysely<T>;
    await sql`create table parents (id integer primary key)`.execute(db as AnyDb);
    await sql`create table items (id integer primary key, name text not null unique,
      parent integer references parents(id) deferrable initially deferred)`.execute(db as AnyDb);
  });
  afterEach(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (name: string, parent: number | null = null) =>
    db.transaction().execute((trx) => trx.insertInto('items').values({ name, parent }).execute());
  const names = async () => (await db.selectFrom('items').select('name').orderBy('name').execute()).map((r) => r.name);
  /** What a fresh process would find on disk. */
  const onDisk = async () => {
    const again = openSqlite(file, true);
    try {
      return (
        await (again.db as unknown as Kysely<T>).selectFrom('items').select('name').orderBy('name').execute()
      ).map((r) => r.name);
    } finally {
      await again.close();
    }
  };

  it('commits transactions that run together with one COMMIT, and acknowledges each only after it', async () => {
    const before = { ...groupStats(handle) };
    const all = Array.from({ length: 40 }, (_, i) => insert(`n${String(i).padStart(2, '0')}`));
    await Promise.all(all);
    const after = groupStats(handle);
    expect(after.transactions - before.transactions).toBe(40);
    expect(after.commits - before.commits).toBeLessThan(40);
    expect(await onDisk()).toHaveLength(40);
  });

  it('a transaction that fails rolls back alone; the others of its group are kept', async () => {
    const results = await Promise.allSettled([
      insert('a'),
      db.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ name: 'doomed', parent: null }).execute();
        throw new Error('changed my mind');
      }),
      insert('a'), // unique violation: fails at its statement
      insert('b'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(await names()).toEqual(['a', 'b']);
    expect(await onDisk()).toEqual(['a', 'b']);
  });

  it('a COMMIT that fails fails every member of the group, and none of it is kept', async () => {
    // A deferred foreign key is checked only at COMMIT: the group's COMMIT fails for everyone in it.
    const results = await Promise.allSettled([insert('fine'), insert('orphan', 999), insert('fine too')]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(await names()).toEqual([]);
    // The connection is usable afterwards.
    await insert('after');
    expect(await onDisk()).toEqual(['after']);
  });

  it('reads outside a transaction never see a group that is not yet durable', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const first = insert('waiting');
    // A second transaction holds the writer (and so the group's COMMIT) until the gate opens.
    const holder = db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ name: 'holder', parent: null }).execute();
      await gate;
    });
    await new Promise((r) => setTimeout(r, 20));
    let firstDone = false;
    void first.then(() => {
      firstDone = true;
    });
    expect(firstDone).toBe(false);
    expect(await names()).toEqual([]);
    open();
    await Promise.all([first, holder]);
    expect(await names()).toEqual(['holder', 'waiting']);
  });

  it('a write outside a transaction commits the open group first and is durable when it returns', async () => {
    const grouped = insert('grouped');
    await db.insertInto('items').values({ name: 'autocommit', parent: null }).execute();
    expect(await onDisk()).toEqual(['autocommit', 'grouped']);
    await grouped;
  });

  it('a transaction alone is acknowledged without waiting for company', async () => {
    const before = groupStats(handle);
    for (let i = 0; i < 20; i++) await insert(`solo${i}`);
    expect(await onDisk()).toHaveLength(20);
    expect(groupStats(handle).commits - before.commits).toBe(20);
  });
});

function groupStats(handle: ReturnType<typeof openSqlite>): { commits: number; transactions: number } {
  if (!handle.groupCommit) throw new Error('not a SQLite handle');
  return handle.groupCommit();
}
