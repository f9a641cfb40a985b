import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { listOffices } from '../../../shared/offices/offices.contract.ts';
import { type Office, OfficeCreateInput, type OfficeUpdateInput } from '../../../shared/offices/offices.schemas.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { assertCan, assertOffice, type Ctx, visibleOfficeIds } from '../../lib/auth.ts';
import { type Clock, isoNow } from '../../lib/clock.ts';
import { Conflict, NotFound, VersionConflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, parseSort, toPage } from '../../lib/pagination.ts';
import { noopSearchIndexer, type SearchDoc, type SearchIndexer } from '../../lib/ports.ts';
import { type AuditService, diff } from '../audit/audit.service.ts';
import * as repo from './offices.repository.ts';

type ListQuery = z.infer<NonNullable<typeof listOffices.query>>;

export type OfficeService = ReturnType<typeof createOfficeService>;

/** The office's document in the search index (ADR 0010). */
export function officeSearchDoc(o: Office): SearchDoc {
  return {
    entityType: 'office',
    entityId: o.id,
    officeId: o.id,
    title: `${o.code} — ${o.name}`,
    body: [...o.countries, o.timezone].join(' '),
    permission: 'office.read',
    updatedAt: o.updatedAt,
  };
}

export function createOfficeService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  searchIndexer?: SearchIndexer;
}) {
  const { db, clock, audit } = deps;
  const searchIndexer = deps.searchIndexer ?? noopSearchIndexer;

  async function load(ex: Executor, ctx: Ctx, id: string) {
    const row = await repo.findById(ex, id);
    if (!row) throw new NotFound('No such office.');
    assertOffice(ctx, row.id);
    return row;
  }

  return {
    /** Every live office's search document, for `outpost search reindex`. */
    async *searchDocuments(ex: Executor): AsyncGenerator<SearchDoc> {
      const sort = { column: 'code', desc: false };
      let cursor: { v: string; id: string } | undefined;
      for (;;) {
        const rows = await repo.list(ex, { visibleIds: undefined, sort, cursor, limit: 500 });
        for (const r of rows.slice(0, 500)) yield officeSearchDoc(repo.toOffice(r));
        const last = rows[499];
        if (rows.length <= 500 || !last) return;
        cursor = { v: last.code, id: last.id };
      }
    },

    async list(ctx: Ctx, query: ListQuery) {
      assertCan(ctx, 'office.read');
      const sort = parseSort(query.sort, repo.SORT_COLUMNS);
      const rows = await repo.list(db, {
        visibleIds: visibleOfficeIds(ctx),
        q: query.q,
        country: query.country,
        sort,
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return toPage(rows, query.limit, (r) => r[sort.column as 'code'], repo.toOffice);
    },

    /** `ex`: read inside the caller's transaction (SQLite has one connection; a second read would wait on it). */
    async get(ctx: Ctx, id: string, ex: Executor = db): Promise<Office> {
      assertCan(ctx, 'office.read');
      return repo.toOffice(await load(ex, ctx, id));
    },

    async getByCode(ctx: Ctx, code: string): Promise<Office> {
      assertCan(ctx, 'office.read');
      const row = await repo.findByCode(db, code.toUpperCase());
      if (!row) throw new NotFound(`No office with code ${code}.`);
      assertOffice(ctx, row.id);
      return repo.toOffice(row);
    },

    async create(ctx: Ctx, input: OfficeCreateInput): Promise<Office> {
      assertCan(ctx, 'office.create');
      const data = OfficeCreateInput.parse(input);
      const now = isoNow(clock);
      const office: Office = { id: newId(), ...data, version: 1, createdAt: now, updatedAt: now };
      return db.transaction().execute(async (trx) => {
        const existing = await repo.findByCode(trx, data.code, true);
        if (existing) {
          throw new Conflict(
            existing.deleted_at
              ? `The code ${data.code} belonged to an office that was deleted; choose another code.`
              : `An office with code ${data.code} already exists.`,
          );
        }
        await repo.insert(trx, office);
        await searchIndexer.upsert(trx, officeSearchDoc(office));
        await audit.record(trx, ctx, {
          action: 'office.create',
          entityType: 'office',
          entityId: office.id,
          officeId: office.id,
          changes: office,
        });
        return office;
      });
    },

    async update(ctx: Ctx, id: string, input: OfficeUpdateInput): Promise<Office> {
      assertCan(ctx, 'office.update');
      return db.transaction().execute(async (trx) => {
        const before = repo.toOffice(await load(trx, ctx, id));
        if (before.version !== input.version) {
          throw new VersionConflict(
            `This office was changed by someone else (now version ${before.version}); reload it and apply your change again.`,
            before.version,
          );
        }
        const { version: _v, ...changes } = input;
        const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
        const after: Office = { ...before, ...defined, version: before.version + 1, updatedAt: isoNow(clock) };
        if (!(await repo.updateIfVersion(trx, after, input.version))) {
          const current = await repo.findById(trx, id);
          throw new VersionConflict(
            'This office was changed by someone else; reload it and apply your change again.',
            current?.version,
          );
        }
        await searchIndexer.upsert(trx, officeSearchDoc(after));
        await audit.record(trx, ctx, {
          action: 'office.update',
          entityType: 'office',
          entityId: id,
          officeId: id,
          changes: diff(before, after),
        });
        return after;
      });
    },

    async remove(ctx: Ctx, id: string, version: number): Promise<void> {
      assertCan(ctx, 'office.delete');
      await db.transaction().execute(async (trx) => {
        const before = await load(trx, ctx, id);
        if (before.version !== version || !(await repo.softDeleteIfVersion(trx, id, version, isoNow(clock)))) {
          throw new VersionConflict(
            'This office was changed by someone else; reload it before deleting.',
            before.version,
          );
        }
        await searchIndexer.remove(trx, 'office', id);
        await audit.record(trx, ctx, {
          action: 'office.delete',
          entityType: 'office',
          entityId: id,
          officeId: id,
          changes: { code: before.code, name: before.name },
        });
      });
    },
  };
}
