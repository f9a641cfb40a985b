import { type RawBuilder, sql } from 'kysely';
import { PERMISSIONS } from '../../../shared/permissions.ts';
import type { Dialect, Executor } from '../../db/database.ts';
import type { SearchDocumentsTable } from '../../db/tables/search.ts';
import {
  fts5Expression,
  fts5TitleExpression,
  officeScopeToken,
  type ParsedQuery,
  permissionScopeToken,
  tsqueryExpression,
  typeScopeToken,
} from './search.query.ts';

/**
 * Replaces the record's document. Delete and insert rather than update: on SQLite the new row gets the
 * next `seq`, which is the index's notion of "most recently changed" (see search()). The row id stays.
 */
export async function upsert(ex: Executor, row: SearchDocumentsTable): Promise<void> {
  const old = await ex
    .deleteFrom('search_documents')
    .where('entity_type', '=', row.entity_type)
    .where('entity_id', '=', row.entity_id)
    .returning('id')
    .executeTakeFirst();
  await ex
    .insertInto('search_documents')
    .values(old ? { ...row, id: old.id } : row)
    .execute();
}

/** Plain multi-row inserts (new documents only, e.g. the demo's filler), inside the caller's transaction. */
export async function insertMany(ex: Executor, rows: readonly SearchDocumentsTable[]): Promise<void> {
  // 10 columns a row: 500 rows stay far below SQLite's and PostgreSQL's bound-parameter limits.
  for (let i = 0; i < rows.length; i += 500)
    await ex
      .insertInto('search_documents')
      .values(rows.slice(i, i + 500))
      .execute();
}

export async function remove(ex: Executor, entityType: string, entityId: string): Promise<void> {
  await ex
    .deleteFrom('search_documents')
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .execute();
}

export async function removeType(ex: Executor, entityType: string): Promise<number> {
  const r = await ex.deleteFrom('search_documents').where('entity_type', '=', entityType).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function countByType(ex: Executor): Promise<Record<string, number>> {
  const rows = await ex
    .selectFrom('search_documents')
    .select(['entity_type', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('entity_type')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.entity_type, Number(r.n)]));
}

/** Who is searching, as the filters the query applies (all of them inside the SQL, before paging). */
export interface SearchScope {
  /** Permissions the caller holds; `undefined` = any (the system itself). */
  permissions: readonly string[] | undefined;
  /** Offices the caller sees; `undefined` = all. Documents without an office need only the permission. */
  officeIds: readonly string[] | undefined;
  /** Restricted documents need this user in their list; `null` = sees them all (cross-office roles, system). */
  restrictedFor: string | null;
}

/** Where the previous page ended: its last row's tier and position in the tier. */
export interface SearchAfter {
  tier: number;
  /** SQLite: the row's `seq`; PostgreSQL: its `updated_at`. */
  key: number | string;
  id: string;
}

export interface SearchParams {
  query: ParsedQuery;
  scope: SearchScope;
  entityType?: string | undefined;
  after?: SearchAfter | undefined;
  /** Rows to fetch (page size + 1, to know whether there is a next page). */
  fetch: number;
}

export interface SearchRow {
  id: string;
  entity_type: string;
  entity_id: string;
  office_id: string | null;
  title: string;
  updated_at: string;
  /** 2: every word is in the title; 1: the words are found in title and text together. */
  tier: number;
  /** SQLite seq or PostgreSQL updated_at: the position within the tier, for the cursor. */
  key: number | string;
  body: string;
}

/** Title tier first. */
export const TIERS = [2, 1] as const;

function filters(dialect: Dialect, p: SearchParams): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  const { permissions, officeIds, restrictedFor } = p.scope;
  if (permissions) out.push(sql`d.permission in (${sql.join(permissions)})`);
  if (officeIds) {
    out.push(
      officeIds.length > 0
        ? sql`(d.office_id in (${sql.join(officeIds)}) or d.office_id is null)`
        : sql`d.office_id is null`,
    );
  }
  if (restrictedFor !== null) {
    out.push(
      dialect === 'sqlite'
        ? sql`(d.restricted_to is null or exists (select 1 from json_each(d.restricted_to) j where j.value = ${restrictedFor}))`
        : sql`(d.restricted_to is null or d.restricted_to::jsonb @> jsonb_build_array(${restrictedFor}::text))`,
    );
  }
  if (p.entityType) out.push(sql`d.entity_type = ${p.entityType}`);
  return out;
}

function and(parts: RawBuilder<unknown>[]): RawBuilder<unknown> {
  return parts.length === 0 ? sql`1 = 1` : sql.join(parts, sql` and `);
}

/**
 * The caller's visibility as FTS5 scope tokens, ANDed to the words: the index then skips what they
 * may not see instead of the query reading and discarding it (an office's security officer among ten
 * offices reads a tenth of the matches). Only an accelerator: the SQL filters decide.
 */
export function sqliteScopeClause(p: SearchParams): string {
  const clauses: string[] = [];
  const any = (tokens: string[]) => `scope : (${[...new Set(tokens)].map((t) => `"${t}"`).join(' OR ')})`;
  const { officeIds, permissions } = p.scope;
  if (officeIds) clauses.push(any([...officeIds.map(officeScopeToken), officeScopeToken(null)]));
  if (permissions && permissions.length < PERMISSIONS.length) {
    clauses.push(permissions.length ? any(permissions.map(permissionScopeToken)) : '"pxnone"');
  }
  if (p.entityType) clauses.push(any([typeScopeToken(p.entityType)]));
  return clauses.map((c) => ` AND ${c}`).join('');
}

/**
 * Ordering, on both engines: documents whose title holds every word first (tier 2), then the others
 * (tier 1); within a tier, the most recently changed first. Unlike bm25/ts_rank over every match, this
 * order can be read straight off the index — SQLite's FTS5 walks its doclists by rowid, newest first,
 * and stops at the page — so a common word among a million documents costs a page, not a sort of
 * every match. The page's rows are highlighted afterwards (search.query.ts), not by the engine:
 * FTS5's snippet() restarts a prefix query for every row, ts_headline re-parses every document.
 */
export async function search(ex: Executor, dialect: Dialect, p: SearchParams): Promise<SearchRow[]> {
  return dialect === 'sqlite' ? searchSqlite(ex, p) : searchPostgres(ex, p);
}

async function searchSqlite(ex: Executor, p: SearchParams): Promise<SearchRow[]> {
  const where = and(filters('sqlite', p));
  const scope = sqliteScopeClause(p);
  const words = fts5Expression(p.query);
  const inTitle = fts5TitleExpression(p.query);
  const page: SearchRow[] = [];
  for (const tier of TIERS) {
    if (p.after && tier > p.after.tier) continue;
    const want = p.fetch - page.length;
    if (want <= 0) break;
    const match = tier === 2 ? `${inTitle}${scope}` : `(${words} NOT ${inTitle})${scope}`;
    const after = p.after && tier === p.after.tier ? sql`and search_fts.rowid < ${p.after.key}` : sql``;
    const r = await sql<SearchRow>`
      select d.id, d.entity_type, d.entity_id, d.office_id, d.title, d.body, d.updated_at, ${tier} as tier, d.seq as key
      from search_fts join search_documents d on d.seq = search_fts.rowid
      where search_fts match ${match} and ${where} ${after}
      order by search_fts.rowid desc
      limit ${want}`.execute(ex);
    page.push(...r.rows);
  }
  return page;
}

async function searchPostgres(ex: Executor, p: SearchParams): Promise<SearchRow[]> {
  const where = and(filters('postgres', p));
  const words = tsqueryExpression(p.query);
  const inTitle = tsqueryExpression(p.query, 'A');
  const after = p.after
    ? sql`where (x.tier, x.updated_at, x.id) < (${p.after.tier}, ${String(p.after.key)}, ${p.after.id})`
    : sql``;
  const r = await sql<SearchRow>`
    select x.* from (
      select d.id, d.entity_type, d.entity_id, d.office_id, d.title, d.body, d.updated_at, d.updated_at as key,
        case when d.tsv @@ to_tsquery('outpost_search', ${inTitle}) then 2 else 1 end as tier
      from search_documents d
      where d.tsv @@ to_tsquery('outpost_search', ${words}) and ${where}
    ) x
    ${after}
    order by x.tier desc, x.updated_at desc, x.id desc
    limit ${p.fetch}`.execute(ex);
  return r.rows.map((row) => ({ ...row, tier: Number(row.tier) }));
}
