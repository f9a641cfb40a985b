import type { Executor } from '../../db/database.ts';
import type { CalendarFeedRow } from '../../db/tables/tasks.ts';

export async function findByUser(ex: Executor, userId: string): Promise<CalendarFeedRow | undefined> {
  return ex.selectFrom('calendar_feeds').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function findByHash(ex: Executor, tokenHash: string): Promise<CalendarFeedRow | undefined> {
  return ex.selectFrom('calendar_feeds').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function removeOfUser(ex: Executor, userId: string): Promise<number> {
  const r = await ex.deleteFrom('calendar_feeds').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insert(ex: Executor, row: CalendarFeedRow): Promise<void> {
  await ex.insertInto('calendar_feeds').values(row).execute();
}

export async function touch(ex: Executor, id: string, at: string): Promise<void> {
  await ex.updateTable('calendar_feeds').set({ last_used_at: at }).where('id', '=', id).execute();
}
