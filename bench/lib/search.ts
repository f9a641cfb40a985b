/**
 * The search benchmark (issue #4: "under 50 ms at 1 million indexed records"): Outpost's search endpoint
 * under autocannon, signed in as a real user, for a few kinds of query; and, as the baseline, the same
 * full-text queries straight on better-sqlite3 in this process — no HTTP, no session, no permission
 * filters, no JSON — one at a time, each query's own time.
 */
import Database from 'better-sqlite3';
import { fts5Expression, fts5TitleExpression, parseQuery } from '../../src/server/modules/search/search.query.ts';
import type { LoadCase } from './load.ts';
import { percentile } from './load.ts';
import type { SearchBaseline } from './results.ts';

/** What people type: a common word, a word being typed (prefix, accents ignored), two French words, a precise query. */
export const SEARCH_QUERIES: { name: string; q: string }[] = [
  { name: 'search.word', q: 'generator' },
  { name: 'search.prefix', q: 'evacu' },
  { name: 'search.words', q: 'vol carburant' },
  { name: 'search.precise', q: 'fuel theft kutaisi' },
];

export function searchCases(): LoadCase[] {
  return SEARCH_QUERIES.map(({ name, q }) => ({
    name,
    method: 'GET',
    path: `/api/v1/search?q=${encodeURIComponent(q)}&limit=20`,
  }));
}

export function countSearchDocuments(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from search_documents').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The same FTS5 queries as Outpost's (title tier, then the rest, newest first, 21 rows), in a loop for `seconds` each. */
export function bareSearch(file: string, seconds: number): SearchBaseline[] {
  const db = new Database(file, { readonly: true });
  try {
    const page = db.prepare('select rowid as seq from search_fts where search_fts match ? order by rowid desc limit ?');
    const rows = new Map<number, Database.Statement>();
    const fetchRows = (n: number) => {
      let s = rows.get(n);
      if (!s) {
        s = db.prepare(
          `select id, entity_type, entity_id, office_id, title, body, updated_at from search_documents where seq in (${Array(n).fill('?').join(',')})`,
        );
        rows.set(n, s);
      }
      return s;
    };
    const out: SearchBaseline[] = [];
    for (const { name, q } of SEARCH_QUERIES) {
      const parsed = parseQuery(q);
      const words = fts5Expression(parsed);
      const inTitle = fts5TitleExpression(parsed);
      const once = () => {
        const seqs = (page.all(inTitle, 21) as { seq: number }[]).map((r) => r.seq);
        if (seqs.length < 21)
          for (const r of page.all(`(${words} NOT ${inTitle})`, 21 - seqs.length) as { seq: number }[])
            seqs.push(r.seq);
        return seqs.length ? fetchRows(seqs.length).all(...seqs).length : 0;
      };
      for (let i = 0; i < 20; i++) once(); // warm-up
      const times: number[] = [];
      const end = performance.now() + seconds * 1000;
      while (performance.now() < end) {
        const t0 = performance.now();
        once();
        times.push(performance.now() - t0);
      }
      const total = times.reduce((a, b) => a + b, 0);
      times.sort((a, b) => a - b);
      const r2 = (x: number) => Math.round(x * 100) / 100;
      out.push({
        case: name,
        query: q,
        qps: Math.round((times.length / total) * 1000),
        p50: r2(percentile(times, 50)),
        p95: r2(percentile(times, 95)),
        p99: r2(percentile(times, 99)),
        samples: times.length,
      });
    }
    return out;
  } finally {
    db.close();
  }
}
