import type { Executor } from '../../db/database.ts';
import type { WebauthnCredentialsTable } from '../../db/schema.ts';

export async function credentialsOf(ex: Executor, userId: string): Promise<WebauthnCredentialsTable[]> {
  return ex
    .selectFrom('webauthn_credentials')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

export async function findCredential(ex: Executor, id: string): Promise<WebauthnCredentialsTable | undefined> {
  return ex.selectFrom('webauthn_credentials').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCredential(ex: Executor, row: WebauthnCredentialsTable): Promise<void> {
  await ex.insertInto('webauthn_credentials').values(row).execute();
}

export async function updateCounter(ex: Executor, id: string, counter: number, at: string): Promise<void> {
  await ex.updateTable('webauthn_credentials').set({ counter, last_used_at: at }).where('id', '=', id).execute();
}

export async function deleteCredential(ex: Executor, id: string, userId: string): Promise<boolean> {
  const r = await ex
    .deleteFrom('webauthn_credentials')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function saveChallenge(
  ex: Executor,
  challenge: string,
  purpose: string,
  userId: string | null,
  expiresAt: string,
  now: string,
) {
  await ex.deleteFrom('webauthn_challenges').where('expires_at', '<', now).execute();
  await ex
    .insertInto('webauthn_challenges')
    .values({ challenge, purpose, user_id: userId, expires_at: expiresAt })
    .execute();
}

/** Takes a challenge once: it is deleted as it is checked, so a response cannot be replayed. */
export async function takeChallenge(ex: Executor, challenge: string, purpose: string, now: string) {
  const row = await ex
    .selectFrom('webauthn_challenges')
    .selectAll()
    .where('challenge', '=', challenge)
    .executeTakeFirst();
  if (!row) return undefined;
  await ex.deleteFrom('webauthn_challenges').where('challenge', '=', challenge).execute();
  return row.purpose === purpose && row.expires_at > now ? row : undefined;
}
