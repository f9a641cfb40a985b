import { type RawBuilder, sql } from 'kysely';
import { Invalid } from './errors.ts';

/**
 * Cursor (keyset) pagination: the cursor names the last row seen by its sort value and id, so pages
 * stay stable while rows are added and cost the same at page 1 and page 10,000.
 */
export interface SortSpec {
  column: string;
  desc: boolean;
}

export interface Cursor {
  v: string | number;
  id: string;
}

/** `-name` → name descending. `columns` maps API sort keys to database columns. */
export function parseSort(sort: string, columns: Record<string, string>): SortSpec {
  const desc = sort.startsWith('-');
  const key = desc ? sort.slice(1) : sort;
  const column = columns[key];
  if (!column)
    throw new Invalid(`cannot sort by ${key}`, [
      { path: 'query.sort', message: `must be one of ${Object.keys(columns).join(', ')}` },
    ]);
  return { column, desc };
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.v, c.id])).toString('base64url');
}

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === 'string' || typeof parsed[0] === 'number') &&
      typeof parsed[1] === 'string'
    ) {
      return { v: parsed[0], id: parsed[1] };
    }
  } catch {
    /* fall through */
  }
  throw new Invalid('The cursor is not valid: use the nextCursor of a previous page.', [
    { path: 'query.cursor', message: 'is not a cursor this server gave out' },
  ]);
}

/** `(col, id) > (v, id)` (or `<` descending): row values work on SQLite and PostgreSQL alike. */
export function afterCursor(table: string, sort: SortSpec, cursor: Cursor): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${table}.${sort.column}`)}, ${sql.ref(`${table}.id`)}) ${sql.raw(sort.desc ? '<' : '>')} (${cursor.v}, ${cursor.id})`;
}

/** Case-insensitive "contains", with LIKE wildcards in the search text taken literally. */
export function containsText(column: string, q: string): RawBuilder<boolean> {
  const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

/** Fetches limit+1 rows and returns the page and the next cursor. */
export function toPage<R extends { id: string }, T>(
  rows: R[],
  limit: number,
  sortValue: (r: R) => string | number,
  map: (r: R) => T,
): { items: T[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return {
    items: page.map(map),
    nextCursor: more && last ? encodeCursor({ v: sortValue(last), id: last.id }) : null,
  };
}
