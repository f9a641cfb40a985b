import type { LoadCase } from './load.ts';

export const UPDATE_CASE = 'sites.update';

/** A record as the update needs it: its id and the version it was last given. */
export interface Versioned {
  id: string;
  version: number;
}

/**
 * `sites.update`: `PATCH /api/v1/sites/:id` changing the site's notes, with the version the request read
 * (optimistic concurrency: a stale version is a 409, and a 409 counts as an error here). Each request takes a
 * site no request in flight holds and the version its previous update returned, so every update applies,
 * writes the site, its search document and an audit entry, and is durable when acknowledged.
 *
 * Each autocannon run (warm-up, measured run; per server) takes fresh sites from `pool`: a request still in
 * flight when a run stops leaves its site's version unknown, so no site is used by two runs.
 */
export function siteUpdateCase(pool: Versioned[], connections: number): LoadCase {
  let round = 0;
  return {
    name: UPDATE_CASE,
    method: 'PATCH',
    path: '/api/v1/sites/:id',
    perRun() {
      const free = pool.splice(0, connections + 5);
      if (free.length <= connections)
        throw new Error(`the update benchmark ran out of sites (${free.length} left for ${connections} connections)`);
      return {
        setupRequest(req, context) {
          // One request in flight per connection and more sites than connections: one is always free.
          const site = free.shift() as Versioned;
          context.site = site;
          round++;
          return {
            ...req,
            path: `/api/v1/sites/${site.id}`,
            body: JSON.stringify({ version: site.version, notes: `Perimeter walk done (benchmark round ${round})` }),
          };
        },
        onResponse(status, body, context) {
          const site = context.site as Versioned;
          if (status === 200) site.version = (JSON.parse(body) as Versioned).version;
          free.push(site);
        },
      };
    },
  };
}

/** Sites with their versions, through the API (`limit` at most 200 a page). */
export async function versionedSites(
  getPage: (cursor: string | null) => Promise<{ items: Versioned[]; nextCursor: string | null }>,
  count: number,
): Promise<Versioned[]> {
  const out: Versioned[] = [];
  let cursor: string | null = null;
  do {
    const page = await getPage(cursor);
    out.push(...page.items.map((s) => ({ id: s.id, version: s.version })));
    cursor = page.nextCursor;
  } while (cursor && out.length < count);
  return out.slice(0, count);
}
