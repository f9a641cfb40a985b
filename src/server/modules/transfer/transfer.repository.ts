import type { Executor } from '../../db/database.ts';
import type { OfficesTable, PersonsTable, SitesTable } from '../../db/schema.ts';

/** Whole rows of one office, deleted ones included (an archive loses nothing), in a stable order. */
export async function officeRows(ex: Executor, officeId: string) {
  const office = await ex.selectFrom('offices').selectAll().where('id', '=', officeId).executeTakeFirst();
  const sites = await ex.selectFrom('sites').selectAll().where('office_id', '=', officeId).orderBy('id').execute();
  const persons = await ex.selectFrom('persons').selectAll().where('office_id', '=', officeId).orderBy('id').execute();
  return { office, sites, persons };
}

export async function idsTaken(ex: Executor, table: 'offices' | 'sites' | 'persons', ids: string[]): Promise<string[]> {
  const taken: string[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await ex.selectFrom(table).select('id').where('id', 'in', chunk).execute();
    taken.push(...rows.map((r) => r.id));
  }
  return taken;
}

export async function insertOffice(ex: Executor, row: OfficesTable): Promise<void> {
  await ex.insertInto('offices').values(row).execute();
}

export async function insertSites(ex: Executor, rows: SitesTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await ex
      .insertInto('sites')
      .values(rows.slice(i, i + 200))
      .execute();
}

export async function insertPersons(ex: Executor, rows: PersonsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await ex
      .insertInto('persons')
      .values(rows.slice(i, i + 200))
      .execute();
}
