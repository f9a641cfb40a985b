import type autocannon from 'autocannon';
import { describe, expect, it } from 'vitest';
import { siteUpdateCase, type Versioned, versionedSites } from '../bench/lib/writes.ts';

const base = { method: 'PATCH', path: '/api/v1/sites/:id', headers: {} } as autocannon.Request;

describe('bench: the update case', () => {
  it('gives each request a free site and the version its previous update returned', () => {
    const pool: Versioned[] = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({ id: `s${i}`, version: 1 }));
    const run = siteUpdateCase(pool, 2).perRun?.();
    if (!run) throw new Error('no per-run hooks');
    // Each run takes connections + 5 fresh sites from the pool.
    expect(pool.map((s) => s.id)).toEqual(['s8']);
    const a: Record<string, unknown> = {};
    const b: Record<string, unknown> = {};
    const ra = run.setupRequest({ ...base }, a);
    const rb = run.setupRequest({ ...base }, b);
    expect(ra.path).toBe('/api/v1/sites/s1');
    expect(rb.path).toBe('/api/v1/sites/s2');
    expect(JSON.parse(String(ra.body))).toMatchObject({ version: 1 });
    run.onResponse(200, JSON.stringify({ id: 's1', version: 2 }), a);
    run.onResponse(409, '{"title":"Version conflict"}', b);
    // s1 and s2 are back at the end of the free list: s1 with the version the server gave it, s2 unchanged.
    const seen: string[] = [];
    for (let i = 0; i < 7; i++) {
      const ctx: Record<string, unknown> = {};
      const r = run.setupRequest({ ...base }, ctx);
      seen.push(`${r.path?.split('/').pop()}@${JSON.parse(String(r.body)).version}`);
      run.onResponse(200, JSON.stringify({ version: JSON.parse(String(r.body)).version + 1 }), ctx);
    }
    expect(seen.slice(0, 7)).toEqual(['s3@1', 's4@1', 's5@1', 's6@1', 's7@1', 's1@2', 's2@1']);
  });

  it('refuses to start a run without a free site for every connection', () => {
    const pool: Versioned[] = [{ id: 's1', version: 1 }];
    expect(() => siteUpdateCase(pool, 2).perRun?.()).toThrow(/ran out of sites/);
  });

  it('collects sites with their versions page by page, up to the count asked', async () => {
    const pages: Record<string, { items: Versioned[]; nextCursor: string | null }> = {
      first: { items: [{ id: 'a', version: 3 }], nextCursor: 'c2' },
      c2: { items: [{ id: 'b', version: 1 }], nextCursor: 'c3' },
      c3: { items: [{ id: 'c', version: 2 }], nextCursor: null },
    };
    const asked: (string | null)[] = [];
    const got = await versionedSites(async (cursor) => {
      asked.push(cursor);
      return pages[cursor ?? 'first'] as { items: Versioned[]; nextCursor: string | null };
    }, 2);
    expect(got).toEqual([
      { id: 'a', version: 3 },
      { id: 'b', version: 1 },
    ]);
    expect(asked).toEqual([null, 'c2']);
  });
});
