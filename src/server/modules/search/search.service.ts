import type { Kysely } from 'kysely';
import { ROLE_PERMISSIONS } from '../../../shared/permissions.ts';
import type { SearchPage, SearchQuery, SearchResult } from '../../../shared/search/search.schemas.ts';
import type { Dialect, Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { assertCan, type Ctx, visibleOfficeIds } from '../../lib/auth.ts';
import { Invalid } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { SearchDoc, SearchIndexer } from '../../lib/ports.ts';
import { type FillerOptions, fillerDoc } from './search.filler.ts';
import { cleanText, highlight, parseQuery, scopeTokens, snippet } from './search.query.ts';
import * as repo from './search.repository.ts';

export const TITLE_MAX = 500;
export const BODY_MAX = 20_000;

/**
 * Where a module says how to rebuild its part of the index: every live record's document. `outpost
 * search reindex` drops the type's documents and writes these, in one transaction per type.
 */
export interface SearchSource {
  entityType: string;
  documents(ex: Executor): AsyncIterable<SearchDoc> | Iterable<SearchDoc> | Promise<Iterable<SearchDoc>>;
}

/** The web path of a record, from what the index knows of it. Modules register theirs. */
export type SearchLinkBuilder = (r: { entityId: string; officeId: string | null }) => string;

const enc = encodeURIComponent;
const DEFAULT_LINKS: Record<string, SearchLinkBuilder> = {
  office: (r) => `/offices/${enc(r.entityId)}`,
  site: (r) => (r.officeId ? `/offices/${enc(r.officeId)}/sites?site=${enc(r.entityId)}` : `/sites/${enc(r.entityId)}`),
  person: (r) =>
    r.officeId ? `/offices/${enc(r.officeId)}/people?person=${enc(r.entityId)}` : `/people/${enc(r.entityId)}`,
  task: (r) => `/tasks/${enc(r.entityId)}`,
  checklist_run: (r) => `/checklists/runs/${enc(r.entityId)}`,
  checklist_template: (r) => `/checklists/templates/${enc(r.entityId)}`,
};

export type SearchService = ReturnType<typeof createSearchService>;

/** Full-text search (ADR 0010): the SearchIndexer other modules write through, and the search itself. */
export function createSearchService(deps: { db: Kysely<DB>; dialect: Dialect }) {
  const { db, dialect } = deps;
  const sources = new Map<string, SearchSource>();
  const links = new Map<string, SearchLinkBuilder>(Object.entries(DEFAULT_LINKS));

  function toRow(doc: SearchDoc) {
    return {
      id: newId(),
      entity_type: doc.entityType,
      entity_id: doc.entityId,
      office_id: doc.officeId,
      title: cleanText(doc.title, TITLE_MAX),
      body: cleanText(doc.body, BODY_MAX),
      permission: doc.permission,
      restricted_to: doc.restrictedTo ? JSON.stringify([...new Set(doc.restrictedTo)].sort()) : null,
      scope: scopeTokens(doc),
      updated_at: doc.updatedAt,
    };
  }

  const indexer: SearchIndexer = {
    /** In the caller's transaction: the document changes exactly when the record does. */
    upsert: (ex, doc) => repo.upsert(ex, toRow(doc)),
    remove: (ex, entityType, entityId) => repo.remove(ex, entityType, entityId),
  };

  function linkFor(entityType: string, entityId: string, officeId: string | null): string {
    const build = links.get(entityType);
    return build ? build({ entityId, officeId }) : `/records/${enc(entityType)}/${enc(entityId)}`;
  }

  /** The cursor names the last row of the page: its tier, its place in the tier (engine-specific) and its id. */
  function encodeSearchCursor(a: repo.SearchAfter): string {
    return Buffer.from(JSON.stringify([a.tier, a.key, a.id])).toString('base64url');
  }

  function decodeSearchCursor(raw: string | undefined): repo.SearchAfter | undefined {
    if (raw === undefined) return undefined;
    try {
      const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
      if (Array.isArray(v) && v.length === 3 && (repo.TIERS as readonly unknown[]).includes(v[0])) {
        const [tier, key, id] = v as [number, unknown, unknown];
        const keyOk = dialect === 'sqlite' ? Number.isSafeInteger(key) : typeof key === 'string' && key.length <= 40;
        if (keyOk && typeof id === 'string' && id.length <= 100) return { tier, key: key as number | string, id };
      }
    } catch {
      /* fall through */
    }
    throw new Invalid('The cursor is not valid: use the nextCursor of a previous page.', [
      { path: 'query.cursor', message: 'is not a cursor this server gave out' },
    ]);
  }

  return {
    indexer,

    registerSource(source: SearchSource): void {
      if (sources.has(source.entityType)) throw new Error(`search source ${source.entityType} registered twice`);
      sources.set(source.entityType, source);
    },

    registerLink(entityType: string, build: SearchLinkBuilder): void {
      links.set(entityType, build);
    },

    sourceTypes(): string[] {
      return [...sources.keys()].sort();
    },

    linkFor,

    async search(ctx: Ctx, query: SearchQuery): Promise<SearchPage> {
      assertCan(ctx, 'search.use');
      const after = decodeSearchCursor(query.cursor);
      const parsed = parseQuery(query.q);
      if (parsed.tokens.length === 0) return { items: [], nextCursor: null };
      const a = ctx.actor;
      const scope: repo.SearchScope = a
        ? {
            permissions: ROLE_PERMISSIONS[a.role],
            officeIds: visibleOfficeIds(ctx),
            // Restricted (sensitive) records: only the users named, whatever the role (ports.ts SearchDoc.restrictedTo).
            restrictedFor: a.userId,
          }
        : { permissions: undefined, officeIds: undefined, restrictedFor: null };
      const rows = await repo.search(db, dialect, {
        query: parsed,
        scope,
        entityType: query.type,
        after,
        fetch: query.limit + 1,
      });
      const more = rows.length > query.limit;
      const page = more ? rows.slice(0, query.limit) : rows;
      const items: SearchResult[] = page.map((r) => ({
        entityType: r.entity_type,
        entityId: r.entity_id,
        officeId: r.office_id,
        title: r.title,
        titleHighlight: highlight(r.title, parsed),
        snippet: snippet(r.body, parsed),
        link: linkFor(r.entity_type, r.entity_id, r.office_id),
        rank: r.tier,
        updatedAt: r.updated_at,
      }));
      const last = page[page.length - 1];
      return {
        items,
        nextCursor: more && last ? encodeSearchCursor({ tier: last.tier, key: last.key, id: last.id }) : null,
      };
    },

    /**
     * Rebuilds the index from the records: for each registered source (or only `types`), drops the
     * type's documents and writes the source's, in one transaction per type. Returns counts per type.
     */
    async reindex(types?: readonly string[]): Promise<Record<string, number>> {
      const wanted = types && types.length > 0 ? types : [...sources.keys()];
      const unknown = wanted.filter((t) => !sources.has(t));
      if (unknown.length > 0)
        throw new Invalid(`No search source for ${unknown.join(', ')}; known: ${[...sources.keys()].join(', ')}`);
      const counts: Record<string, number> = {};
      for (const type of wanted) {
        const source = sources.get(type) as SearchSource;
        counts[type] = await db.transaction().execute(async (trx) => {
          await repo.removeType(trx, type);
          // The type's documents are all gone: plain multi-row inserts, no per-document delete (a source
          // that yields a record twice breaks the unique (entity_type, entity_id) and rolls the type back).
          let batch: ReturnType<typeof toRow>[] = [];
          let n = 0;
          for await (const doc of await source.documents(trx)) {
            if (doc.entityType !== type) throw new Error(`search source ${type} yielded a ${doc.entityType} document`);
            batch.push(toRow(doc));
            n++;
            if (batch.length === 500) {
              await repo.insertMany(trx, batch);
              batch = [];
            }
          }
          await repo.insertMany(trx, batch);
          return n;
        });
      }
      return counts;
    },

    /**
     * Bulk filler documents (search.filler.ts) for the large demo and the benchmark: `count` new
     * documents numbered from `from`, written in transactions of 20,000.
     */
    async addFiller(
      count: number,
      opts: FillerOptions,
      onProgress?: (done: number, total: number) => void,
      from = 0,
    ): Promise<number> {
      const PER_TRANSACTION = 20_000;
      for (let start = 0; start < count; start += PER_TRANSACTION) {
        const rows: ReturnType<typeof toRow>[] = [];
        for (let i = start; i < Math.min(count, start + PER_TRANSACTION); i++)
          rows.push(toRow(fillerDoc(from + i, opts)));
        await db.transaction().execute((trx) => repo.insertMany(trx, rows));
        onProgress?.(Math.min(count, start + PER_TRANSACTION), count);
        // Let the event loop turn (better-sqlite3 frees finished statements from finalizers).
        await new Promise((resolve) => setImmediate(resolve));
      }
      return count;
    },

    /** Documents in the index, per type. */
    counts(): Promise<Record<string, number>> {
      return repo.countByType(db);
    },
  };
}
