/**
 * Baseline 2, the database limit: bare node:http running the same SQL as Outpost's services for each
 * benchmarked page (minus authentication), on the same data, and serialising the same JSON. SQLite through
 * better-sqlite3 with cached prepared statements and Outpost's pragmas; or PostgreSQL through a pg pool of
 * the same size as Outpost's. The create and the update write the site, its search document and its
 * hash-chained audit entry in one transaction, durable on acknowledgement like Outpost's; the update checks
 * the version the request carries (a stale one is a 409), as Outpost's does.
 * Env: PORT; BENCH_SQLITE_FILE or BENCH_PG_URL (with the schema in search_path).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { OfficeRow, SiteRow } from '../../src/server/db/schema.ts';
import { newId } from '../../src/server/lib/ids.ts';
import { encodeCursor } from '../../src/server/lib/pagination.ts';
import { diff, entryHash, GENESIS_HASH } from '../../src/server/modules/audit/audit.service.ts';
import { toOffice } from '../../src/server/modules/offices/offices.mapper.ts';
import { cleanText, scopeTokens } from '../../src/server/modules/search/search.query.ts';
import { BODY_MAX, TITLE_MAX } from '../../src/server/modules/search/search.service.ts';
import { toSite } from '../../src/server/modules/sites/sites.mapper.ts';
import { siteSearchDoc } from '../../src/server/modules/sites/sites.service.ts';
import type { Site } from '../../src/shared/sites/sites.schemas.ts';

type Row = Record<string, unknown>;
interface Db {
  all(sql: string, params: unknown[]): Promise<Row[]>;
  /** Runs `fn` in one transaction (BEGIN IMMEDIATE on SQLite, so the chain read and append are serial). */
  tx<T>(fn: (db: Omit<Db, 'tx'>) => Promise<T>): Promise<T>;
  dialect: 'sqlite' | 'postgres';
}

function sqliteDb(file: string): Db {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const cache = new Map<string, Database.Statement>();
  const stmt = (sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      s = sqlite.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  const all = async (sql: string, params: unknown[]) => {
    const s = stmt(sql);
    if (s.reader) return s.all(...params) as Row[];
    s.run(...params);
    return [];
  };
  return {
    dialect: 'sqlite',
    all,
    async tx(fn) {
      stmt('begin immediate').run();
      try {
        const r = await fn({ all, dialect: 'sqlite' });
        stmt('commit').run();
        return r;
      } catch (e) {
        stmt('rollback').run();
        throw e;
      }
    },
  };
}

function pgDb(url: string): Db {
  pg.types.setTypeParser(20, (v: string) => Number.parseInt(v, 10));
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const numbered = (sql: string) => {
    let i = 0;
    return sql.replace(/\?/g, () => `$${++i}`);
  };
  return {
    dialect: 'postgres',
    all: async (sql, params) => (await pool.query(numbered(sql), params)).rows as Row[],
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const r = await fn({
          dialect: 'postgres',
          all: async (sql, params) => (await client.query(numbered(sql), params)).rows as Row[],
        });
        await client.query('commit');
        return r;
      } catch (e) {
        await client.query('rollback');
        throw e;
      } finally {
        client.release();
      }
    },
  };
}

const db = process.env.BENCH_SQLITE_FILE
  ? sqliteDb(process.env.BENCH_SQLITE_FILE)
  : pgDb(process.env.BENCH_PG_URL as string);

// The statements Outpost's repositories produce (Kysely's output, as logged), parameters in the same order.
const SQL = {
  officeById: 'select * from "offices" where "id" = ? and "deleted_at" is null',
  officesFiltered: `select * from "offices" where "deleted_at" is null and (lower("offices"."name") like ? escape '\\' or lower("offices"."code") like ? escape '\\') order by "code" asc, "id" asc limit ?`,
  officesFilteredAfter: `select * from "offices" where "deleted_at" is null and (lower("offices"."name") like ? escape '\\' or lower("offices"."code") like ? escape '\\') and ("offices"."code", "offices"."id") > (?, ?) order by "code" asc, "id" asc limit ?`,
  sitesPage:
    'select * from "sites" where "office_id" = ? and "deleted_at" is null order by "name" asc, "id" asc limit ?',
  sitesPageAfter:
    'select * from "sites" where "office_id" = ? and "deleted_at" is null and ("sites"."name", "sites"."id") > (?, ?) order by "name" asc, "id" asc limit ?',
  siteById: 'select * from "sites" where "id" = ? and "deleted_at" is null',
  insertSite:
    'insert into "sites" ("id", "office_id", "name", "kind", "address", "city", "country", "latitude", "longitude", "notes", "version", "created_at", "updated_at", "deleted_at") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  updateSite:
    'update "sites" set "name" = ?, "kind" = ?, "address" = ?, "city" = ?, "country" = ?, "latitude" = ?, "longitude" = ?, "notes" = ?, "version" = ?, "updated_at" = ? where "id" = ? and "version" = ? and "deleted_at" is null',
  deleteDocument: 'delete from "search_documents" where "entity_type" = ? and "entity_id" = ? returning "id"',
  insertDocument:
    'insert into "search_documents" ("id", "entity_type", "entity_id", "office_id", "title", "body", "permission", "restricted_to", "scope", "updated_at") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  lock: 'select pg_advisory_xact_lock(72630001)',
  lastEntry: 'select "seq", "hash" from "audit_log" order by "seq" desc limit ?',
  insertEntry:
    'insert into "audit_log" ("seq", "id", "at", "actor_user_id", "actor_label", "action", "entity_type", "entity_id", "office_id", "request_id", "changes", "prev_hash", "hash") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
};

type Tx = Omit<Db, 'tx'>;

/** The site's search document replaced in the same transaction, as Outpost's search indexer does it. */
async function indexSite(t: Tx, site: Site) {
  const doc = siteSearchDoc(site);
  const old = (await t.all(SQL.deleteDocument, ['site', site.id]))[0] as { id: string } | undefined;
  await t.all(SQL.insertDocument, [
    old?.id ?? newId(),
    doc.entityType,
    doc.entityId,
    doc.officeId,
    cleanText(doc.title, TITLE_MAX),
    cleanText(doc.body, BODY_MAX),
    doc.permission,
    null,
    scopeTokens(doc),
    doc.updatedAt,
  ]);
}

/** The next hash-chained audit entry, serialised like Outpost's (advisory lock on PostgreSQL). */
async function appendAudit(
  t: Tx,
  e: { action: string; entityId: string; officeId: string; at: string; changes: unknown },
) {
  if (t.dialect === 'postgres') await t.all(SQL.lock, []);
  const last = (await t.all(SQL.lastEntry, [1]))[0] as { seq: number; hash: string } | undefined;
  const base = {
    seq: (last?.seq ?? 0) + 1,
    id: newId(),
    at: e.at,
    actor_user_id: null,
    actor_label: 'bench',
    action: e.action,
    entity_type: 'site',
    entity_id: e.entityId,
    office_id: e.officeId,
    request_id: null,
    changes: JSON.stringify(e.changes),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  await t.all(SQL.insertEntry, [...Object.values(base), entryHash(base)]);
}

function cursorOf(raw: string | null): [string, string] | null {
  if (!raw) return null;
  const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [string, string];
  return v;
}

function page<R extends { id: string }, T>(rows: R[], limit: number, sortValue: (r: R) => string, map: (r: R) => T) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: more && last ? encodeCursor({ v: sortValue(last), id: last.id }) : null };
}

const like = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

function send(res: ServerResponse, status: number, data: unknown) {
  const body = JSON.stringify(data);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const p = url.pathname;
  const limit = Number(url.searchParams.get('limit') ?? 50);
  const cursor = cursorOf(url.searchParams.get('cursor'));
  const sitesOf = /^\/api\/v1\/offices\/([^/]+)\/sites$/.exec(p);
  const siteId = /^\/api\/v1\/sites\/([^/]+)$/.exec(p)?.[1];
  if (req.method === 'GET' && p === '/api/v1/offices') {
    const q = like(url.searchParams.get('q') ?? '');
    const rows = cursor
      ? await db.all(SQL.officesFilteredAfter, [q, q, cursor[0], cursor[1], limit + 1])
      : await db.all(SQL.officesFiltered, [q, q, limit + 1]);
    return send(
      res,
      200,
      page(rows as unknown as OfficeRow[], limit, (r) => r.code, toOffice),
    );
  }
  if (sitesOf) {
    const officeId = sitesOf[1] as string;
    const office = await db.all(SQL.officeById, [officeId]);
    if (!office.length) return send(res, 404, { title: 'Not found' });
    if (req.method === 'GET') {
      const rows = cursor
        ? await db.all(SQL.sitesPageAfter, [officeId, cursor[0], cursor[1], limit + 1])
        : await db.all(SQL.sitesPage, [officeId, limit + 1]);
      return send(
        res,
        200,
        page(rows as unknown as SiteRow[], limit, (r) => r.name, toSite),
      );
    }
    const input = await readJson(req);
    const now = new Date().toISOString();
    const site = {
      id: newId(),
      officeId,
      name: String(input.name),
      kind: String(input.kind),
      address: (input.address as string | undefined) ?? null,
      city: (input.city as string | undefined) ?? null,
      country: String(input.country),
      latitude: (input.latitude as number | undefined) ?? null,
      longitude: (input.longitude as number | undefined) ?? null,
      notes: (input.notes as string | undefined) ?? null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await db.tx(async (t) => {
      await t.all(SQL.insertSite, [
        site.id,
        officeId,
        site.name,
        site.kind,
        site.address,
        site.city,
        site.country,
        site.latitude,
        site.longitude,
        site.notes,
        1,
        now,
        now,
        null,
      ]);
      await indexSite(t, site as Site);
      await appendAudit(t, { action: 'site.create', entityId: site.id, officeId, at: now, changes: site });
    });
    return send(res, 201, site);
  }
  if (req.method === 'PATCH' && siteId) {
    const input = await readJson(req);
    const now = new Date().toISOString();
    const outcome = await db.tx(async (t) => {
      const row = (await t.all(SQL.siteById, [siteId]))[0] as SiteRow | undefined;
      if (!row) return { status: 404, body: { title: 'Not found' } };
      const before = toSite(row);
      if (before.version !== input.version) return { status: 409, body: { title: 'Version conflict' } };
      const changes = Object.fromEntries(Object.entries(input).filter(([k, v]) => k !== 'version' && v !== undefined));
      const after: Site = { ...before, ...changes, version: before.version + 1, updatedAt: now };
      await t.all(SQL.updateSite, [
        after.name,
        after.kind,
        after.address,
        after.city,
        after.country,
        after.latitude,
        after.longitude,
        after.notes,
        after.version,
        now,
        siteId,
        before.version,
      ]);
      await indexSite(t, after);
      await appendAudit(t, {
        action: 'site.update',
        entityId: siteId,
        officeId: after.officeId,
        at: now,
        changes: diff(before, after),
      });
      return { status: 200, body: after };
    });
    return send(res, outcome.status, outcome.body);
  }
  if (req.method === 'GET' && siteId) {
    const row = (await db.all(SQL.siteById, [siteId]))[0] as SiteRow | undefined;
    return row ? send(res, 200, toSite(row)) : send(res, 404, { title: 'Not found' });
  }
  return send(res, 404, { title: 'Not found' });
}

const server = createServer((req, res) => {
  handle(req, res).catch((err: unknown) => {
    process.stderr.write(`bare-db: ${(err as Error).stack ?? String(err)}\n`);
    if (!res.headersSent) send(res, 500, { title: 'Internal error' });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  process.stdout.write(
    `${JSON.stringify({ msg: 'baseline ready', port: Number(process.env.PORT), dialect: db.dialect })}\n`,
  );
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
