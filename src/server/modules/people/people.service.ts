import type { Kysely } from 'kysely';
import { type Person, PersonCreateInput } from '../../../shared/people/people.schemas.ts';
import type { DB } from '../../db/schema.ts';
import { assertCan, type Ctx } from '../../lib/auth.ts';
import { type Clock, isoNow } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { OfficeService } from '../offices/offices.service.ts';
import * as repo from './people.repository.ts';

export type PeopleService = ReturnType<typeof createPeopleService>;

export function createPeopleService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  offices: OfficeService;
}) {
  const { db, clock, audit, offices } = deps;
  return {
    async list(
      ctx: Ctx,
      officeId: string,
      query: { limit: number; cursor?: string | undefined; q?: string | undefined },
    ) {
      assertCan(ctx, 'person.read');
      await offices.get(ctx, officeId);
      const rows = await repo.list(db, {
        officeId,
        q: query.q,
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return toPage(rows, query.limit, (r) => r.display_name, repo.toPerson);
    },

    async create(ctx: Ctx, officeId: string, input: PersonCreateInput): Promise<Person> {
      assertCan(ctx, 'person.write');
      await offices.get(ctx, officeId);
      const data = PersonCreateInput.parse(input);
      const now = isoNow(clock);
      const person: Person = {
        id: newId(),
        officeId,
        displayName: data.displayName,
        email: data.email ?? null,
        jobTitle: data.jobTitle || null,
        phone: data.phone || null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await db.transaction().execute(async (trx) => {
        await repo.insert(trx, person);
        await audit.record(trx, ctx, {
          action: 'person.create',
          entityType: 'person',
          entityId: person.id,
          officeId,
          changes: person,
        });
      });
      return person;
    },
  };
}
