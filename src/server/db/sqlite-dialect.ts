import type Database from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

/**
 * Outpost's SQLite dialect for Kysely: statements cached, parameters written `+?`, reads on a connection
 * of their own, and group commit for writes (ADR 0013).
 *
 * **Group commit.** With `synchronous=FULL` every COMMIT waits for an fsync (ADR 0003), so one write per
 * fsync capped creates near the disk's fsync rate. Here each transaction runs in a savepoint of a
 * shared outer transaction on the writing connection. When it ends it releases its savepoint and waits;
 * the outer transaction is committed (one fsync) at the end of the current turn of the event loop, so
 * every transaction that ran meanwhile — the requests that arrived together — is made durable by the
 * same fsync. So:
 * - an acknowledged write is on disk, as before: a transaction's `execute()` resolves only after the
 *   COMMIT that made it durable, and rejects if that COMMIT fails;
 * - a transaction that fails rolls back to its own savepoint; the others in the group are unaffected;
 *   if SQLite rolled the whole outer transaction back (I/O error, disk full), every member fails;
 * - reads outside a transaction run on a second, read-only connection (WAL lets it read beside the
 *   writer) and see only committed data, never a group that is not yet durable;
 * - a write outside a transaction first commits an open group, and is durable when it returns;
 * - alone, a transaction commits at the next turn of the event loop, as good as at once.
 */
export class OutpostSqliteDialect implements Dialect {
  private readonly writer: Database.Database;
  private readonly reader: Database.Database;
  /** `reader` may be the writer itself (a read-only database has no writes to group). */
  constructor(writer: Database.Database, reader: Database.Database) {
    this.writer = writer;
    this.reader = reader;
  }
  private driver: GroupCommitDriver | null = null;
  createDriver(): Driver {
    this.driver = new GroupCommitDriver(this.writer, this.reader);
    return this.driver;
  }
  /** Group COMMITs so far and the transactions they carried. */
  groupCommits(): { commits: number; transactions: number } {
    return { ...(this.driver?.stats ?? { commits: 0, transactions: 0 }) };
  }
  createQueryCompiler(): QueryCompiler {
    return new PlusPlaceholderCompiler();
  }
  createAdapter(): DialectAdapter {
    return new OneConnectionAdapter();
  }
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's introspector takes any database type.
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/**
 * Parameters as `+?` rather than `?`. SQLite's constant propagation marks a statement as needing to be
 * prepared again whenever a parameter compared with `=` in a join is rebound, so every run of a cached
 * join statement (the session look-up on every request, most lists) was compiled afresh: 5–12 µs each,
 * measured against 1–2 µs. The unary plus is a no-op on the value and, like a bare parameter, carries no
 * affinity, so comparisons behave the same and indexes are still used.
 */
class PlusPlaceholderCompiler extends SqliteQueryCompiler {
  protected override getCurrentParameterPlaceholder(): string {
    return '+?';
  }
}

/** The driver below serialises work on its one connection itself; Kysely must not add its own lock. */
class OneConnectionAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

const SAVEPOINT = 'outpost_tx';

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

/** What Kysely holds as "the connection": a fresh lease per acquisition; it takes the writer only to write. */
class Lease implements DatabaseConnection {
  /** Holds the writing connection (from its first write or its transaction's start until released). */
  holdsWriter = false;
  inTransaction = false;
  private readonly driver: GroupCommitDriver;
  constructor(driver: GroupCommitDriver) {
    this.driver = driver;
  }
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.inTransaction) return this.driver.run<R>(query);
    if (!this.holdsWriter && this.driver.isRead(query)) return this.driver.read<R>(query);
    await this.driver.holdWriter(this);
    this.driver.commitGroup();
    return this.driver.run<R>(query);
  }
  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('Only select queries can be streamed on SQLite');
    // An open iterator keeps its connection busy: streams hold the writer, as every query once did.
    await this.driver.holdWriter(this);
    if (!this.inTransaction) this.driver.commitGroup();
    for (const row of this.driver.iterate<R>(query)) yield { rows: [row] };
  }
}

class Statements {
  private readonly cache = new Map<string, Database.Statement>();
  private readonly sqlite: Database.Database;
  constructor(sqlite: Database.Database) {
    this.sqlite = sqlite;
  }
  /**
   * Kysely prepares every query afresh, and preparing costs more than running most of ours: the most
   * recently used statements (by SQL text) are kept. Safe: a connection runs one query at a time, and
   * SQLite prepares a statement again itself after a schema change.
   */
  get(sql: string): Database.Statement {
    const hit = this.cache.get(sql);
    if (hit) {
      this.cache.delete(sql);
      this.cache.set(sql, hit);
      return hit;
    }
    const stmt = this.sqlite.prepare(sql);
    this.cache.set(sql, stmt);
    if (this.cache.size > 500) this.cache.delete(this.cache.keys().next().value as string);
    return stmt;
  }
}

function runStatement<R>(stmt: Database.Statement, parameters: readonly unknown[]): QueryResult<R> {
  if (stmt.reader) return { rows: stmt.all(parameters as unknown[]) as R[] };
  const { changes, lastInsertRowid } = stmt.run(parameters as unknown[]);
  return {
    insertId: lastInsertRowid != null ? BigInt(lastInsertRowid) : undefined,
    numAffectedRows: changes != null ? BigInt(changes) : undefined,
    rows: [],
  };
}

class GroupCommitDriver implements Driver {
  private readonly writer: Database.Database;
  private readonly reader: Database.Database;
  private readonly writes: Statements;
  private readonly reads: Statements;
  private writerHeld = false;
  private readonly queue: (() => void)[] = [];
  /** The open outer transaction's members waiting for its COMMIT; null when none is open. */
  private group: Waiter[] | null = null;
  private flushScheduled = false;
  /** How many group COMMITs and how many transactions they carried (for tests and the benchmark). */
  readonly stats = { commits: 0, transactions: 0 };

  constructor(writer: Database.Database, reader: Database.Database) {
    this.writer = writer;
    this.reader = reader;
    this.writes = new Statements(writer);
    this.reads = reader === writer ? this.writes : new Statements(reader);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Lease(this);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.releaseWriter(connection as Lease);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    await this.holdWriter(lease);
    if (!this.group) {
      this.exec('begin');
      this.group = [];
    }
    try {
      this.exec(`savepoint ${SAVEPOINT}`);
    } catch (err) {
      this.failGroupIfRolledBack(err);
      throw err;
    }
    lease.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    try {
      this.exec(`release ${SAVEPOINT}`);
    } catch (err) {
      this.failGroupIfRolledBack(err);
      throw err;
    }
    lease.inTransaction = false;
    const group = this.group as Waiter[];
    const durable = new Promise<void>((resolve, reject) => group.push({ resolve, reject }));
    this.scheduleFlush();
    // Let the others in: what they write meanwhile goes out with the same fsync.
    this.releaseWriter(lease);
    await durable;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (!lease.inTransaction) return;
    lease.inTransaction = false;
    if (!this.writer.inTransaction) {
      this.failGroupIfRolledBack(new Error('SQLite rolled the transaction back'));
      return;
    }
    this.exec(`rollback to ${SAVEPOINT}`);
    this.exec(`release ${SAVEPOINT}`);
    if (this.group?.length === 0) this.commitGroup();
  }

  async savepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`savepoint "${name}"`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`rollback to "${name}"`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`release "${name}"`));
  }

  async destroy(): Promise<void> {
    const lease = new Lease(this);
    await this.holdWriter(lease);
    this.commitGroup();
    if (this.reader !== this.writer) this.reader.close();
    this.writer.close();
  }

  /**
   * A SELECT outside any transaction goes to the reading connection. Anything else, and everything
   * while a transaction not started by this driver is open (a migration's own savepoint), goes to the
   * writer: SQLite counts SAVEPOINT and RELEASE as read-only, and only the writer sees its own
   * uncommitted schema.
   */
  isRead(query: CompiledQuery): boolean {
    if (this.reader === this.writer || (this.writer.inTransaction && !this.group)) return false;
    if (!/^\s*(select|with)\b/i.test(query.sql)) return false;
    try {
      return this.reads.get(query.sql).readonly;
    } catch {
      return false;
    }
  }

  read<R>(query: CompiledQuery): QueryResult<R> {
    return runStatement<R>(this.reads.get(query.sql), query.parameters);
  }

  run<R>(query: CompiledQuery): QueryResult<R> {
    try {
      return runStatement<R>(this.writes.get(query.sql), query.parameters);
    } catch (err) {
      this.failGroupIfRolledBack(err);
      throw err;
    }
  }

  iterate<R>(query: CompiledQuery): IterableIterator<R> {
    return this.writes.get(query.sql).iterate(query.parameters as unknown[]) as IterableIterator<R>;
  }

  async holdWriter(lease: Lease): Promise<void> {
    if (lease.holdsWriter) return;
    if (this.writerHeld) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.writerHeld = true;
    lease.holdsWriter = true;
  }

  private releaseWriter(lease: Lease): void {
    if (!lease.holdsWriter) return;
    lease.holdsWriter = false;
    const next = this.queue.shift();
    if (next) next();
    else this.writerHeld = false;
  }

  /** The group is committed once this turn of the event loop is over, holding the writer to do it. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      const flusher = new Lease(this);
      void this.holdWriter(flusher).then(() => {
        this.flushScheduled = false;
        this.commitGroup();
        this.releaseWriter(flusher);
      });
    });
  }

  /**
   * Commits the open group, if any (one fsync), and acknowledges its members. Call holding the writer.
   * When the COMMIT fails, the members are rejected with its error.
   */
  commitGroup(): void {
    const group = this.group;
    if (!group) return;
    this.group = null;
    try {
      this.exec('commit');
    } catch (err) {
      if (this.writer.inTransaction) {
        try {
          this.exec('rollback');
        } catch {
          /* the members get the first error */
        }
      }
      for (const w of group) w.reject(err);
      return;
    }
    if (group.length > 0) {
      this.stats.commits++;
      this.stats.transactions += group.length;
    }
    for (const w of group) w.resolve();
  }

  /** After an error: if SQLite rolled the whole outer transaction back, the group is gone. */
  private failGroupIfRolledBack(err: unknown): void {
    if (!this.group || this.writer.inTransaction) return;
    const group = this.group;
    this.group = null;
    for (const w of group) w.reject(err);
  }

  private exec(statement: string): void {
    this.writes.get(statement).run();
  }
}
