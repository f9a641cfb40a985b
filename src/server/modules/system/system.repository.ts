import type { Executor } from '../../db/database.ts';

export async function getSetting(ex: Executor, key: string): Promise<string | undefined> {
  const r = await ex.selectFrom('instance_settings').select('value').where('key', '=', key).executeTakeFirst();
  return r?.value;
}

/** Sets a setting once; returns false when it was already set (first writer wins, on both engines). */
export async function setSettingOnce(ex: Executor, key: string, value: string): Promise<boolean> {
  const r = await ex
    .insertInto('instance_settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function setSetting(ex: Executor, key: string, value: string): Promise<void> {
  await ex
    .insertInto('instance_settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
