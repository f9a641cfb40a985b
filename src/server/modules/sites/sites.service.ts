import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { listSites } from '../../../shared/sites/sites.contract.ts';
import { type Site, SiteCreateInput, type SiteUpdateInput } from '../../../shared/sites/sites.schemas.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { assertCan, assertOffice, type Ctx } from '../../lib/auth.ts';
import { type Clock, isoNow } from '../../lib/clock.ts';
import { NotFound, VersionConflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, parseSort, toPage } from '../../lib/pagination.ts';
import { noopSearchIndexer, type SearchDoc, type SearchIndexer } from '../../lib/ports.ts';
import { type AuditService, diff } from '../audit/audit.service.ts';
import type { OfficeService } from '../offices/offices.service.ts';
import * as repo from './sites.repository.ts';

type ListQuery = z.infer<NonNullable<typeof listSites.query>>;

export type SiteService = ReturnType<typeof createSiteService>;

/** The site's document in the search index (ADR 0010). */
export function siteSearchDoc(s: Site): SearchDoc {
  return {
    entityType: 'site',
    entityId: s.id,
    officeId: s.officeId,
    title: s.name,
    body: [s.kind.replace(/_/g, ' '), s.address, s.city, s.country, s.notes].filter(Boolean).join(' · '),
    permission: 'site.read',
    updatedAt: s.updatedAt,
  };
}

export function createSiteService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  offices: OfficeService;
  searchIndexer?: SearchIndexer;
}) {
  const { db, clock, audit, offices } = deps;
  const searchIndexer = deps.searchIndexer ?? noopSearchIndexer;

  async function load(ex: Executor, ctx: Ctx, id: string) {
    const row = await repo.findById(ex, id);
    if (!row) throw new NotFound('No such site.');
    assertOffice(ctx, row.office_id, 'site');
    return row;
  }

  return {
    /** Every live site's search document, for `outpost search reindex`. */
    async *searchDocuments(ex: Executor): AsyncGenerator<SearchDoc> {
      let afterId: string | null = null;
      for (;;) {
        const rows = await repo.listBatch(ex, afterId, 500);
        for (const r of rows) yield siteSearchDoc(repo.toSite(r));
        const last = rows[rows.length - 1];
        if (rows.length < 500 || !last) return;
        afterId = last.id;
      }
    },

    async list(ctx: Ctx, officeId: string, query: ListQuery) {
      assertCan(ctx, 'site.read');
      await offices.get(ctx, officeId);
      const sort = parseSort(query.sort, repo.SORT_COLUMNS);
      const rows = await repo.list(db, {
        officeId,
        q: query.q,
        kind: query.kind,
        sort,
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return toPage(rows, query.limit, (r) => r[sort.column as 'name'], repo.toSite);
    },

    /** `ex`: read inside the caller's transaction (see offices.get). */
    async get(ctx: Ctx, id: string, ex: Executor = db): Promise<Site> {
      assertCan(ctx, 'site.read');
      return repo.toSite(await load(ex, ctx, id));
    },

    async create(ctx: Ctx, officeId: string, input: SiteCreateInput): Promise<Site> {
      assertCan(ctx, 'site.write');
      await offices.get(ctx, officeId);
      const data = SiteCreateInput.parse(input);
      const now = isoNow(clock);
      const site: Site = {
        id: newId(),
        officeId,
        name: data.name,
        kind: data.kind,
        address: data.address || null,
        city: data.city || null,
        country: data.country,
        latitude: data.latitude ?? null,
        longitude: data.longitude ?? null,
        notes: data.notes || null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await db.transaction().execute(async (trx) => {
        await repo.insert(trx, site);
        await searchIndexer.upsert(trx, siteSearchDoc(site));
        await audit.record(trx, ctx, {
          action: 'site.create',
          entityType: 'site',
          entityId: site.id,
          officeId,
          changes: site,
        });
      });
      return site;
    },

    async update(ctx: Ctx, id: string, input: SiteUpdateInput): Promise<Site> {
      assertCan(ctx, 'site.write');
      return db.transaction().execute(async (trx) => {
        const before = repo.toSite(await load(trx, ctx, id));
        if (before.version !== input.version) {
          throw new VersionConflict(
            `This site was changed by someone else (now version ${before.version}); reload it and apply your change again.`,
            before.version,
          );
        }
        const { version: _v, ...changes } = input;
        const defined = Object.fromEntries(
          Object.entries(changes)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [k, v === '' ? null : v]),
        );
        const after: Site = { ...before, ...defined, version: before.version + 1, updatedAt: isoNow(clock) };
        if (!(await repo.updateIfVersion(trx, after, input.version))) {
          const current = await repo.findById(trx, id);
          throw new VersionConflict(
            'This site was changed by someone else; reload it and apply your change again.',
            current?.version,
          );
        }
        await searchIndexer.upsert(trx, siteSearchDoc(after));
        await audit.record(trx, ctx, {
          action: 'site.update',
          entityType: 'site',
          entityId: id,
          officeId: after.officeId,
          changes: diff(before, after),
        });
        return after;
      });
    },

    async remove(ctx: Ctx, id: string, version: number): Promise<void> {
      assertCan(ctx, 'site.write');
      await db.transaction().execute(async (trx) => {
        const before = await load(trx, ctx, id);
        if (before.version !== version || !(await repo.softDeleteIfVersion(trx, id, version, isoNow(clock)))) {
          throw new VersionConflict(
            'This site was changed by someone else; reload it before deleting.',
            before.version,
          );
        }
        await searchIndexer.remove(trx, 'site', id);
        await audit.record(trx, ctx, {
          action: 'site.delete',
          entityType: 'site',
          entityId: id,
          officeId: before.office_id,
          changes: { name: before.name },
        });
      });
    },
  };
}
