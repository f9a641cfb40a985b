import type { Executor } from '../../db/database.ts';
import type { PersonsTable, UserRow, UsersTable } from '../../db/schema.ts';
import { afterCursor, type Cursor } from '../../lib/pagination.ts';

export interface UserWithPerson extends UserRow {
  display_name: string;
}

export async function findByEmail(ex: Executor, email: string): Promise<UserWithPerson | undefined> {
  return ex
    .selectFrom('users')
    .innerJoin('persons', 'persons.id', 'users.person_id')
    .selectAll('users')
    .select('persons.display_name')
    .where('users.email', '=', email)
    .executeTakeFirst();
}

export async function findById(ex: Executor, id: string): Promise<UserWithPerson | undefined> {
  return ex
    .selectFrom('users')
    .innerJoin('persons', 'persons.id', 'users.person_id')
    .selectAll('users')
    .select('persons.display_name')
    .where('users.id', '=', id)
    .executeTakeFirst();
}

export async function officesOf(ex: Executor, userId: string): Promise<{ id: string; code: string; name: string }[]> {
  return ex
    .selectFrom('user_offices')
    .innerJoin('offices', 'offices.id', 'user_offices.office_id')
    .select(['offices.id', 'offices.code', 'offices.name'])
    .where('user_offices.user_id', '=', userId)
    .where('offices.deleted_at', 'is', null)
    .orderBy('offices.code')
    .execute();
}

/** Active accounts of an office with one of the given roles (who is told about the office's findings). */
export async function idsInOfficeWithRoles(
  ex: Executor,
  officeId: string,
  roles: readonly string[],
): Promise<string[]> {
  const rows = await ex
    .selectFrom('users')
    .innerJoin('user_offices', 'user_offices.user_id', 'users.id')
    .select('users.id')
    .where('user_offices.office_id', '=', officeId)
    .where('users.role', 'in', [...roles])
    .where('users.is_disabled', '=', 0)
    .orderBy('users.id')
    .execute();
  return rows.map((r) => r.id);
}

/** Active users with one of the roles, whatever their offices (for roles that see every office). */
export async function idsWithRoles(ex: Executor, roles: readonly string[]): Promise<string[]> {
  const rows = await ex
    .selectFrom('users')
    .select('id')
    .where('role', 'in', [...roles])
    .where('is_disabled', '=', 0)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function allOffices(ex: Executor): Promise<{ id: string; code: string; name: string }[]> {
  return ex
    .selectFrom('offices')
    .select(['id', 'code', 'name'])
    .where('deleted_at', 'is', null)
    .orderBy('code')
    .execute();
}

export async function insertPerson(ex: Executor, p: Omit<PersonsTable, 'deleted_at'>): Promise<void> {
  await ex
    .insertInto('persons')
    .values({ ...p, deleted_at: null })
    .execute();
}

export async function insertUser(ex: Executor, u: UsersTable): Promise<void> {
  await ex.insertInto('users').values(u).execute();
}

export async function addOffice(ex: Executor, userId: string, officeId: string): Promise<void> {
  await ex.insertInto('user_offices').values({ user_id: userId, office_id: officeId }).execute();
}

export async function setPassword(
  ex: Executor,
  userId: string,
  passwordHash: string | null,
  mustChange: boolean,
  at: string,
): Promise<void> {
  await ex
    .updateTable('users')
    .set((eb) => ({
      password_hash: passwordHash,
      must_change_password: mustChange ? 1 : 0,
      updated_at: at,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', userId)
    .execute();
}

export async function countUsers(ex: Executor): Promise<number> {
  const r = await ex
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function list(
  ex: Executor,
  f: { visibleOfficeIds: readonly string[] | undefined; cursor?: Cursor | undefined; limit: number },
): Promise<UserWithPerson[]> {
  let q = ex
    .selectFrom('users')
    .innerJoin('persons', 'persons.id', 'users.person_id')
    .selectAll('users')
    .select('persons.display_name');
  if (f.visibleOfficeIds) {
    const ids = f.visibleOfficeIds;
    if (ids.length === 0) return [];
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_offices')
          .select('user_offices.user_id')
          .whereRef('user_offices.user_id', '=', 'users.id')
          .where('user_offices.office_id', 'in', ids),
      ),
    );
  }
  if (f.cursor) q = q.where(afterCursor('users', { column: 'email', desc: false }, f.cursor));
  return q
    .orderBy('users.email')
    .orderBy('users.id')
    .limit(f.limit + 1)
    .execute();
}

export async function officeCodesByUser(ex: Executor, userIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (userIds.length === 0) return out;
  const rows = await ex
    .selectFrom('user_offices')
    .innerJoin('offices', 'offices.id', 'user_offices.office_id')
    .select(['user_offices.user_id', 'offices.code'])
    .where('user_offices.user_id', 'in', userIds)
    .orderBy('offices.code')
    .execute();
  for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.code]);
  return out;
}

/** Ends every session of a user (password reset, disabling, sign-out everywhere). */
export async function endSessions(ex: Executor, userId: string): Promise<void> {
  await ex.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function setRoleAndOffices(
  ex: Executor,
  userId: string,
  role: string,
  officeIds: string[],
  at: string,
): Promise<void> {
  await ex
    .updateTable('users')
    .set((eb) => ({ role, updated_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', userId)
    .execute();
  await ex.deleteFrom('user_offices').where('user_id', '=', userId).execute();
  for (const officeId of officeIds)
    await ex.insertInto('user_offices').values({ user_id: userId, office_id: officeId }).execute();
}

export async function insertReset(
  ex: Executor,
  row: { token_hash: string; user_id: string; created_at: string; expires_at: string },
) {
  await ex
    .insertInto('password_resets')
    .values({ ...row, used_at: null })
    .execute();
}

/** Marks a reset link used, once; returns its user when it was valid. */
export async function consumeReset(ex: Executor, tokenHash: string, now: string): Promise<string | undefined> {
  const row = await ex.selectFrom('password_resets').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  if (!row || row.used_at || row.expires_at <= now) return undefined;
  const r = await ex
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1 ? row.user_id : undefined;
}

export async function findReset(ex: Executor, tokenHash: string) {
  return ex.selectFrom('password_resets').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function setLanguage(ex: Executor, userId: string, language: string | null, at: string): Promise<void> {
  await ex.updateTable('users').set({ language, updated_at: at }).where('id', '=', userId).execute();
}
