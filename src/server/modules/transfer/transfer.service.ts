import type { Kysely } from 'kysely';
import type { z } from 'zod';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  type OfficeArchive,
  OfficeArchiveSchema,
} from '../../../shared/transfer/transfer.schemas.ts';
import type { Dialect } from '../../db/database.ts';
import type { DB, PersonsTable, SitesTable } from '../../db/schema.ts';
import { assertCan, assertOffice, type Ctx } from '../../lib/auth.ts';
import { type Clock, isoNow } from '../../lib/clock.ts';
import { Conflict, Invalid, NotFound } from '../../lib/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { toRow as officeToRow, toOffice } from '../offices/offices.mapper.ts';
import { toRow as personToRow, toPerson } from '../people/people.mapper.ts';
import { toRow as siteToRow, toSite } from '../sites/sites.mapper.ts';
import * as repo from './transfer.repository.ts';

export type TransferService = ReturnType<typeof createTransferService>;

type ArchivePerson = z.infer<typeof OfficeArchiveSchema>['persons'][number];

function personOut(r: PersonsTable): ArchivePerson {
  return { ...toPerson(r), deletedAt: r.deleted_at };
}

function personIn(p: ArchivePerson): PersonsTable {
  const { deletedAt, ...person } = p;
  return personToRow(person, deletedAt);
}

/** Export and import of one office as a versioned JSON archive (the transfer module owns the format). */
export function createTransferService(deps: { db: Kysely<DB>; dialect: Dialect; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;

  return {
    async exportOffice(ctx: Ctx, officeCode: string): Promise<OfficeArchive> {
      assertCan(ctx, 'office.export');
      return db.transaction().execute(async (trx) => {
        const office = await trx
          .selectFrom('offices')
          .select('id')
          .where('code', '=', officeCode.toUpperCase())
          .where('deleted_at', 'is', null)
          .executeTakeFirst();
        if (!office) throw new NotFound(`No office with code ${officeCode.toUpperCase()}.`);
        assertOffice(ctx, office.id);
        const rows = await repo.officeRows(trx, office.id);
        if (!rows.office) throw new NotFound(`No office with code ${officeCode}.`);
        const archive: OfficeArchive = {
          format: ARCHIVE_FORMAT,
          formatVersion: ARCHIVE_FORMAT_VERSION,
          exportedAt: isoNow(clock),
          office: toOffice(rows.office),
          sites: rows.sites.map((r) => ({ ...toSite(r), deletedAt: r.deleted_at })),
          persons: rows.persons.map(personOut),
        };
        await audit.record(trx, ctx, {
          action: 'office.export',
          entityType: 'office',
          entityId: office.id,
          officeId: office.id,
          changes: { sites: archive.sites.length, persons: archive.persons.length },
        });
        return archive;
      });
    },

    /** All or nothing: the archive is checked whole, then written in one transaction. */
    async importOffice(ctx: Ctx, raw: unknown): Promise<{ officeCode: string; sites: number; persons: number }> {
      assertCan(ctx, 'office.create');
      const format = (raw as { format?: unknown; formatVersion?: unknown } | null) ?? {};
      if (format.format !== ARCHIVE_FORMAT)
        throw new Invalid(`This is not an Outpost office archive (format must be "${ARCHIVE_FORMAT}").`);
      if (format.formatVersion !== ARCHIVE_FORMAT_VERSION) {
        throw new Invalid(
          `Archive format version ${String(format.formatVersion)} is not supported (this Outpost reads version ${ARCHIVE_FORMAT_VERSION}).`,
        );
      }
      const parsed = OfficeArchiveSchema.safeParse(raw);
      if (!parsed.success) {
        const errors = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new Invalid(`The archive is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
      }
      const a = parsed.data;
      const officeId = a.office.id;
      const bad = [
        ...a.sites.filter((s) => s.officeId !== officeId).map((s) => `site ${s.id}`),
        ...a.persons.filter((p) => p.officeId !== officeId).map((p) => `person ${p.id}`),
      ];
      if (bad.length)
        throw new Invalid(`The archive is inconsistent: ${bad.slice(0, 5).join(', ')} belong to another office.`);
      return db.transaction().execute(async (trx) => {
        const clash = await trx
          .selectFrom('offices')
          .select(['id', 'code'])
          .where((eb) => eb.or([eb('code', '=', a.office.code), eb('id', '=', officeId)]))
          .executeTakeFirst();
        if (clash)
          throw new Conflict(
            `Office ${a.office.code} (or its id) already exists in this installation; nothing was imported.`,
          );
        const takenSites = await repo.idsTaken(
          trx,
          'sites',
          a.sites.map((s) => s.id),
        );
        const takenPersons = await repo.idsTaken(
          trx,
          'persons',
          a.persons.map((p) => p.id),
        );
        if (takenSites.length || takenPersons.length)
          throw new Conflict('Some records of this archive already exist in this installation; nothing was imported.');
        await repo.insertOffice(trx, { ...officeToRow(a.office), deleted_at: null });
        await repo.insertSites(
          trx,
          a.sites.map((s): SitesTable => ({ ...siteToRow(s), deleted_at: s.deletedAt })),
        );
        await repo.insertPersons(trx, a.persons.map(personIn));
        await audit.record(trx, ctx, {
          action: 'office.import',
          entityType: 'office',
          entityId: officeId,
          officeId,
          changes: { code: a.office.code, exportedAt: a.exportedAt, sites: a.sites.length, persons: a.persons.length },
        });
        return { officeCode: a.office.code, sites: a.sites.length, persons: a.persons.length };
      });
    },
  };
}
