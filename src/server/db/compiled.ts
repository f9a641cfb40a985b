import type { CompiledQuery } from 'kysely';
import type { Executor } from './database.ts';

/**
 * A query built and compiled once per database handle, then run with fresh parameter values. Kysely
 * builds and compiles every query on each call (some 10–25 µs for a query with joins and subqueries,
 * more than SQLite takes to run it), which matters only on the per-request paths; this is for those.
 *
 * `build` receives one marker value per parameter and must use each exactly once, in order, and no
 * other values: compilation checks that, so a query that bakes in a value it was not given fails at
 * once instead of running with a stale one.
 */
export function compiledOnce<Row, A extends unknown[]>(
  arity: A['length'],
  build: (ex: Executor, ...markers: string[]) => { compile(): CompiledQuery<Row> },
): (ex: Executor, ...params: A) => Promise<Row[]> {
  const cache = new WeakMap<Executor, CompiledQuery<Row>>();
  const markers = Array.from({ length: arity }, (_, i) => `\u0000outpost-parameter-${i}`);
  return async (ex, ...params) => {
    let compiled = cache.get(ex);
    if (!compiled) {
      compiled = build(ex, ...markers).compile();
      const given = compiled.parameters;
      if (given.length !== markers.length || given.some((p, i) => p !== markers[i]))
        throw new Error('compiledOnce: the query must use each parameter marker once, in order, and no other value');
      cache.set(ex, compiled);
    }
    return (await ex.executeQuery<Row>({ ...compiled, parameters: params })).rows;
  };
}
