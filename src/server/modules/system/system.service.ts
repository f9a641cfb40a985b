import { type Kysely, sql } from 'kysely';
import type { Dialect, Executor } from '../../db/database.ts';
import { pendingMigrations } from '../../db/migrate.ts';
import type { DB } from '../../db/schema.ts';
import * as repo from './system.repository.ts';

export type SystemService = ReturnType<typeof createSystemService>;

export function createSystemService(deps: { db: Kysely<DB>; dialect: Dialect }) {
  return {
    getSetting: (key: string) => repo.getSetting(deps.db, key),
    setSettingOnce: (key: string, value: string) => repo.setSettingOnce(deps.db, key, value),
    /** Inside the caller's transaction, so the change commits with its audit entry. */
    setSetting: (ex: Executor, key: string, value: string) => repo.setSetting(ex, key, value),

    async readiness() {
      let databaseReachable = false;
      let pending: string[] = [];
      try {
        await sql`select 1`.execute(deps.db);
        databaseReachable = true;
        pending = await pendingMigrations(deps.db);
      } catch {
        /* reported below */
      }
      const migrationsCurrent = databaseReachable && pending.length === 0;
      return {
        status: databaseReachable && migrationsCurrent ? ('ready' as const) : ('not_ready' as const),
        database: deps.dialect,
        databaseReachable,
        migrationsCurrent,
        pendingMigrations: pending,
      };
    },
  };
}
