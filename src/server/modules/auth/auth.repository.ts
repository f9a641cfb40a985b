import type { Executor } from '../../db/database.ts';
import type { SessionsTable } from '../../db/schema.ts';

export async function insertSession(ex: Executor, s: SessionsTable): Promise<void> {
  await ex.insertInto('sessions').values(s).execute();
}

export async function findSession(ex: Executor, id: string): Promise<SessionsTable | undefined> {
  return ex.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchSession(ex: Executor, id: string, at: string): Promise<void> {
  await ex.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(ex: Executor, id: string): Promise<void> {
  await ex.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteExpired(ex: Executor, now: string, idleBefore: string): Promise<void> {
  await ex
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
    .execute();
}
