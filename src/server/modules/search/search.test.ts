import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, signedInAs } from '../../../../test/factories.ts';
import { testEngines } from '../../../../test/test-db.ts';
import { systemCtx } from '../../lib/auth.ts';
import type { SearchDoc } from '../../lib/ports.ts';
import { highlight, parseQuery, snippet } from './search.query.ts';

type Headers = { cookie: string };
type Item = { entityType: string; entityId: string; title: string; rank: number; link: string };

describe('search query parsing', () => {
  it('keeps only word tokens and prefixes the last word while it is being typed', () => {
    expect(parseQuery('  Sécurité  "NEAR(" OR* gén')).toEqual({
      tokens: ['sécurité', 'near', 'or', 'gén'],
      prefixLast: true,
    });
    expect(parseQuery('generator ').prefixLast).toBe(false);
    expect(parseQuery('a').prefixLast).toBe(false);
    expect(parseQuery(`'; drop table x; -- 😀`).tokens).toEqual(['drop', 'table', 'x']);
  });
  it('marks the words found, accents and case ignored, the last word as a prefix', () => {
    const q = parseQuery('securite gen');
    expect(highlight('La Sécurité du générateur <b>', q)).toEqual([
      { text: 'La ', hit: false },
      { text: 'Sécurité', hit: true },
      { text: ' du ', hit: false },
      { text: 'générateur', hit: true },
      { text: ' <b>', hit: false },
    ]);
    const long = `${'word '.repeat(100)}the generator failed ${'word '.repeat(100)}`;
    const s = snippet(long, parseQuery('generator'), 10);
    expect(s[0]?.text.startsWith('… ')).toBe(true);
    expect(s.find((x) => x.hit)?.text).toBe('generator');
    expect(s[s.length - 1]?.text.endsWith(' …')).toBe(true);
    expect(s.map((x) => x.text).join('').length).toBeLessThan(100);
  });
});

describe.each(testEngines())('search API on %s', (engine) => {
  let t: TestApp;
  let officeA: string;
  let officeB: string;
  let officerA: { user: { id: string }; headers: Headers };
  let officer2A: Headers;
  let staffA: Headers;
  let officerB: Headers;
  let admin: Headers;
  let hq: Headers;
  let accentsOk = true;

  const doc = (over: Partial<SearchDoc> & { entityId: string }): SearchDoc => ({
    entityType: 'task',
    officeId: officeA,
    title: 'Untitled',
    body: '',
    permission: 'task.read',
    updatedAt: '2026-11-28T09:00:00.000Z',
    ...over,
  });
  const index = (d: SearchDoc) => t.services.searchIndexer.upsert(t.db.database.db, d);

  async function search(headers: Headers, query: string): Promise<{ items: Item[]; nextCursor: string | null }> {
    const res = await t.app.inject({ url: `/api/v1/search?${query}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  const ids = async (headers: Headers, q: string, extra = '') =>
    (await search(headers, `q=${encodeURIComponent(q)}${extra}`)).items.map((i) => i.entityId);

  beforeAll(async () => {
    t = await buildTestApp(engine);
    officeA = (await makeOffice(t.services, { code: 'SRA', name: 'Tbilisi office' })).id;
    officeB = (await makeOffice(t.services, { code: 'SRB', name: 'Kyiv office' })).id;
    officerA = await signedInAs(t, 'security_officer', ['SRA']);
    officer2A = (await signedInAs(t, 'security_officer', ['SRA'])).headers;
    staffA = (await signedInAs(t, 'staff', ['SRA'])).headers;
    officerB = (await signedInAs(t, 'security_officer', ['SRB'])).headers;
    admin = (await signedInAs(t, 'admin')).headers;
    hq = (await signedInAs(t, 'hq_security')).headers;
    if (engine === 'postgres') {
      const r = await sql<{
        n: number;
      }>`select count(*)::int as n from pg_extension where extname = 'unaccent'`.execute(t.db.database.db);
      accentsOk = (r.rows[0]?.n ?? 0) > 0;
    }
  });
  afterAll(() => t.close());

  it('indexes sites as they are written: found by word and by prefix, with a link', async () => {
    const site = await t.services.sites.create(systemCtx, officeA, {
      name: 'Rustavi warehouse',
      kind: 'warehouse',
      city: 'Rustavi',
      country: 'GE',
      notes: 'Fuel stock for the generators',
    });
    const page = await search(officerA.headers, 'q=rustavi');
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      entityType: 'site',
      entityId: site.id,
      officeId: officeA,
      title: 'Rustavi warehouse',
      link: `/offices/${officeA}/sites?site=${site.id}`,
    });
    expect(await ids(officerA.headers, 'warehou')).toEqual([site.id]);
    expect(await ids(officerA.headers, 'rustavi fuel')).toEqual([site.id]);
    expect(await ids(officerA.headers, 'rustavi missingword')).toEqual([]);
    // Offices are indexed too.
    expect(await ids(officerA.headers, 'tbilisi', '&type=office')).toEqual([officeA]);
  });

  it('ignores accents and case', async () => {
    if (!accentsOk) return; // PostgreSQL without the unaccent extension: plain 'simple' configuration.
    await index(doc({ entityId: 'acc-1', title: 'Sécurité incendie', body: 'Évacuation du bâtiment' }));
    await index(doc({ entityId: 'acc-2', title: 'Fire drill', body: 'rapport de securite' }));
    expect((await ids(officerA.headers, 'securite')).sort()).toEqual(['acc-1', 'acc-2']);
    expect((await ids(officerA.headers, 'SÉCURITÉ')).sort()).toEqual(['acc-1', 'acc-2']);
    expect(await ids(officerA.headers, 'evacuation batiment')).toEqual(['acc-1']);
  });

  it('ranks hits in the title before hits in the body', async () => {
    await index(
      doc({
        entityId: 'rank-body',
        title: 'Monthly checks',
        body: 'Check the oil, the batteries, the radio, the alarms and the zymurgy kit before the end of the month.',
      }),
    );
    await index(
      doc({ entityId: 'rank-title', title: 'Zymurgy kit inventory', body: 'Count everything in the store.' }),
    );
    const page = await search(officerA.headers, 'q=zymurgy');
    expect(page.items.map((i) => i.entityId)).toEqual(['rank-title', 'rank-body']);
    expect(page.items[0]?.rank).toBeGreaterThan(page.items[1]?.rank ?? 0);
  });

  it("never shows another office's documents", async () => {
    await index(doc({ entityId: 'office-b-doc', officeId: officeB, title: 'Quartermaster report' }));
    expect(await ids(officerA.headers, 'quartermaster')).toEqual([]);
    expect(await ids(officerB, 'quartermaster')).toEqual(['office-b-doc']);
    expect(await ids(admin, 'quartermaster')).toEqual(['office-b-doc']);
    expect(await ids(hq, 'quartermaster')).toEqual(['office-b-doc']);
  });

  it("shows nothing of a type the caller's role may not read", async () => {
    await index(doc({ entityId: 'perm-task', title: 'Xylophone repair', permission: 'task.read' }));
    await index(doc({ entityId: 'perm-site', entityType: 'site', title: 'Xylophone depot', permission: 'site.read' }));
    expect((await ids(officerA.headers, 'xylophone')).sort()).toEqual(['perm-site', 'perm-task']);
    // Staff may read sites but not tasks.
    expect(await ids(staffA, 'xylophone')).toEqual(['perm-site']);
    expect(await ids(staffA, 'xylophone', '&type=task')).toEqual([]);
    expect(await ids(officerA.headers, 'xylophone', '&type=task')).toEqual(['perm-task']);
  });

  it('shows restricted documents only to the users named, not even to cross-office roles', async () => {
    await index(doc({ entityId: 'secret', title: 'Whistleblower quokka statement', restrictedTo: [officerA.user.id] }));
    expect(await ids(officerA.headers, 'quokka')).toEqual(['secret']);
    expect(await ids(officer2A, 'quokka')).toEqual([]);
    expect(await ids(staffA, 'quokka')).toEqual([]);
    expect(await ids(hq, 'quokka')).toEqual([]);
  });

  it('re-indexes on update and forgets on delete', async () => {
    const site = await t.services.sites.create(systemCtx, officeA, {
      name: 'Batumi annex',
      kind: 'other',
      country: 'GE',
    });
    expect(await ids(officerA.headers, 'batumi')).toEqual([site.id]);
    const updated = await t.services.sites.update(systemCtx, site.id, { name: 'Poti annex', version: 1 });
    expect(await ids(officerA.headers, 'batumi')).toEqual([]);
    expect(await ids(officerA.headers, 'poti')).toEqual([site.id]);
    await t.services.sites.remove(systemCtx, site.id, updated.version);
    expect(await ids(officerA.headers, 'poti')).toEqual([]);
    await index(doc({ entityId: 'gone', title: 'Ephemeral wombat' }));
    await t.services.searchIndexer.remove(t.db.database.db, 'task', 'gone');
    expect(await ids(officerA.headers, 'wombat')).toEqual([]);
  });

  it('pages through results with a cursor, best first, without repeats', async () => {
    for (let i = 0; i < 23; i++) {
      const words = Array.from({ length: i + 1 }, () => 'filler').join(' ');
      await index(doc({ entityId: `page-${i}`, title: `Pangolin ${i}`, body: `pangolin ${words}` }));
    }
    const seen: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: Item[]; nextCursor: string | null } = await search(
        officerA.headers,
        `q=pangolin&limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen.map((i) => i.entityId)).size).toBe(23);
    for (let i = 1; i < seen.length; i++) expect(seen[i - 1]?.rank).toBeGreaterThanOrEqual(seen[i]?.rank ?? 0);
    const bad = await t.app.inject({ url: '/api/v1/search?q=pangolin&cursor=nonsense', headers: officerA.headers });
    expect(bad.statusCode).toBe(400);
  });

  it('returns highlights as plain text segments, never HTML', async () => {
    await index(
      doc({
        entityId: 'xss',
        title: '<img src=x onerror=alert(1)> narwhal',
        body: 'A <b>narwhal</b> & <script>x</script>',
      }),
    );
    const res = await t.app.inject({ url: '/api/v1/search?q=narwhal', headers: officerA.headers });
    const item = res.json().items[0];
    expect(item.titleHighlight).toEqual([
      { text: '<img src=x onerror=alert(1)> ', hit: false },
      { text: 'narwhal', hit: true },
    ]);
    expect(item.snippet.some((s: { text: string; hit: boolean }) => s.hit && s.text === 'narwhal')).toBe(true);
    for (const s of [...item.titleHighlight, ...item.snippet]) expect(Object.keys(s).sort()).toEqual(['hit', 'text']);
  });

  it('answers hostile queries with 200 or 400, never 500', async () => {
    const hostile = [
      '"',
      '""',
      '*',
      'a*',
      '* OR *',
      'NEAR(',
      'NEAR(a b, 2)',
      'OR',
      'AND NOT',
      'title:x',
      '{title body}: x',
      '^x',
      '-x',
      "'; drop table search_documents; --",
      "O'Brien",
      '\\',
      '%_%',
      '😀🔥',
      '\u0301\u0301',
      'ﷺ مرحبا שלום',
      '\u0000\u0001',
      'x'.repeat(200),
      'x'.repeat(500),
      'a '.repeat(150),
      ' ',
      '',
      '&|!():*<->',
    ];
    for (const q of hostile) {
      const res = await t.app.inject({ url: `/api/v1/search?q=${encodeURIComponent(q)}`, headers: officerA.headers });
      expect([200, 400], `${JSON.stringify(q)} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
      if (res.statusCode === 200) expect(Array.isArray(res.json().items)).toBe(true);
    }
    for (const type of ['x y', 'OFFICE', "'", 'a'.repeat(100)]) {
      const res = await t.app.inject({ url: `/api/v1/search?q=x&type=${encodeURIComponent(type)}`, headers: admin });
      expect(res.statusCode).toBe(400);
    }
  });

  it('needs a session and the search permission', async () => {
    expect((await t.app.inject({ url: '/api/v1/search?q=x' })).statusCode).toBe(401);
  });

  it('rebuilds the index from the records (outpost search reindex)', async () => {
    await t.db.database.db.deleteFrom('search_documents').where('entity_type', 'in', ['office', 'site']).execute();
    expect(await ids(officerA.headers, 'rustavi')).toEqual([]);
    const counts = await t.services.search.reindex();
    expect(counts.office).toBeGreaterThanOrEqual(2);
    expect(counts.site).toBeGreaterThanOrEqual(1);
    expect(await ids(officerA.headers, 'rustavi')).toHaveLength(1);
    await expect(t.services.search.reindex(['nope'])).rejects.toThrow(/No search source/);
  });

  it('rebuilds tasks too', async () => {
    const task = await t.services.tasks.create(systemCtx, { officeId: officeA, title: 'Numbat radio drill' });
    await t.db.database.db.deleteFrom('search_documents').where('entity_type', '=', 'task').execute();
    expect(await ids(officerA.headers, 'numbat')).toEqual([]);
    expect((await t.services.search.reindex(['task'])).task).toBeGreaterThanOrEqual(1);
    expect(await ids(officerA.headers, 'numbat')).toEqual([task.id]);
  });
});
