/**
 * Reading related rows for many records at once (exports, queues, lists) instead of one query per
 * record: the ids go in `in (…)` lists of at most IN_CHUNK, and the rows come back grouped.
 */

/** Ids in one `in (…)` list: far below SQLite's (32,766) and PostgreSQL's (65,535) bound-parameter limits. */
export const IN_CHUNK = 1000;

/** `read` once per chunk of at most IN_CHUNK distinct ids; the rows of every chunk, in order. */
export async function inChunks<T>(ids: readonly string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(ids)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += IN_CHUNK) out.push(...(await read(unique.slice(i, i + IN_CHUNK))));
  return out;
}

/** `rows` grouped by `key`, each group in the rows' order. */
export function groupBy<R, K extends keyof R>(rows: readonly R[], key: K): Map<R[K], R[]> {
  const out = new Map<R[K], R[]>();
  for (const r of rows) {
    const list = out.get(r[key]);
    if (list) list.push(r);
    else out.set(r[key], [r]);
  }
  return out;
}
