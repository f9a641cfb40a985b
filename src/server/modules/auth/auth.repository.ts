import { sql } from 'kysely';
import { compiledOnce } from '../../db/compiled.ts';
import type { Executor } from '../../db/database.ts';
import type { ApiTokensTable, LoginThrottleTable, SessionsTable, UserMfaTable } from '../../db/schema.ts';

export async function insertSession(ex: Executor, s: SessionsTable): Promise<void> {
  await ex.insertInto('sessions').values(s).execute();
}

export async function findSession(ex: Executor, id: string): Promise<SessionsTable | undefined> {
  return ex.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Everything an authenticated request needs about its caller, in one query: the session, its user and
 * person, the user's MFA state and their offices (ids in office-code order, comma-separated; ids never
 * contain a comma). This runs on every authenticated request, so it is one round trip, not four.
 */
const sessionActorQuery = compiledOnce(1, (ex, id) =>
  ex
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('persons', 'persons.id', 'users.person_id')
    .selectAll('sessions')
    .select((eb) => [
      'users.person_id',
      'users.email',
      'users.role',
      'users.must_change_password',
      'users.is_disabled',
      'persons.display_name',
      eb
        .selectFrom('user_mfa')
        .select('user_mfa.enabled_at')
        .whereRef('user_mfa.user_id', '=', 'sessions.user_id')
        .as('mfa_enabled_at'),
      sql<
        string | null
      >`(select string_agg(o.id, ',' order by o.code) from user_offices uo join offices o on o.id = uo.office_id and o.deleted_at is null where uo.user_id = sessions.user_id)`.as(
        'office_ids',
      ),
    ])
    .where('sessions.id', '=', id as string),
);

export async function findSessionActor(ex: Executor, id: string) {
  return (await sessionActorQuery(ex, id))[0];
}

export async function touchSession(ex: Executor, id: string, at: string): Promise<void> {
  await ex.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(ex: Executor, id: string): Promise<void> {
  await ex.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(ex: Executor, userId: string, exceptId?: string): Promise<void> {
  let q = ex.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  await q.execute();
}

export async function deleteExpired(ex: Executor, now: string, idleBefore: string): Promise<void> {
  await ex
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
    .execute();
}

// Sign-in throttling

export async function throttleRows(ex: Executor, keys: string[]): Promise<LoginThrottleTable[]> {
  return ex.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute();
}

export async function saveThrottle(ex: Executor, row: LoginThrottleTable): Promise<void> {
  await ex
    .insertInto('login_throttle')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ failures: row.failures, window_start: row.window_start, last_failure_at: row.last_failure_at }),
    )
    .execute();
}

export async function clearThrottle(ex: Executor, keys: string[]): Promise<void> {
  await ex.deleteFrom('login_throttle').where('key', 'in', keys).execute();
}

// API tokens

export async function insertToken(ex: Executor, t: ApiTokensTable): Promise<void> {
  await ex.insertInto('api_tokens').values(t).execute();
}

export async function findTokenByHash(ex: Executor, hash: string): Promise<ApiTokensTable | undefined> {
  return ex.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

export async function tokensOfUser(ex: Executor, userId: string): Promise<ApiTokensTable[]> {
  return ex.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
}

export async function revokeToken(ex: Executor, id: string, userId: string, at: string): Promise<boolean> {
  const r = await ex
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function touchToken(ex: Executor, id: string, at: string): Promise<void> {
  await ex.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

// Multi-factor

export async function findMfa(ex: Executor, userId: string): Promise<UserMfaTable | undefined> {
  return ex.selectFrom('user_mfa').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function saveMfa(ex: Executor, row: UserMfaTable): Promise<void> {
  await ex.deleteFrom('user_mfa').where('user_id', '=', row.user_id).execute();
  await ex.insertInto('user_mfa').values(row).execute();
}

export async function deleteMfa(ex: Executor, userId: string): Promise<void> {
  await ex.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await ex.deleteFrom('user_mfa').where('user_id', '=', userId).execute();
}

/** Records the time step a code was used at, only if it is newer: a code cannot be replayed. */
export async function consumeTotpStep(ex: Executor, userId: string, step: number): Promise<boolean> {
  const r = await ex
    .updateTable('user_mfa')
    .set({ last_used_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function replaceRecoveryCodes(
  ex: Executor,
  userId: string,
  rows: { id: string; code_hash: string }[],
): Promise<void> {
  await ex.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (rows.length)
    await ex
      .insertInto('recovery_codes')
      .values(rows.map((r) => ({ ...r, user_id: userId, used_at: null })))
      .execute();
}

export async function consumeRecoveryCode(ex: Executor, userId: string, hash: string, at: string): Promise<boolean> {
  const r = await ex
    .updateTable('recovery_codes')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function sessionsOfUser(ex: Executor, userId: string, now: string): Promise<SessionsTable[]> {
  return ex
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('mfa_pending', '=', 0)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute();
}
