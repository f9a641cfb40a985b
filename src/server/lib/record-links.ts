import type { Executor } from '../db/database.ts';
import type { Ctx } from './auth.ts';
import { Invalid } from './errors.ts';
import type { LinkedRecord, RecordLinks, RecordResolver } from './ports.ts';

/** The registry behind `RecordLinks` (lib/ports.ts): modules register their record types at start-up. */
export function createRecordLinks(): RecordLinks {
  const resolvers = new Map<string, RecordResolver>();
  function get(entityType: string): RecordResolver {
    const r = resolvers.get(entityType);
    if (!r) {
      throw new Invalid(`Records of type "${entityType}" cannot be linked.`, [
        { path: 'entityType', message: `Unknown record type; one of: ${[...resolvers.keys()].join(', ')}.` },
      ]);
    }
    return r;
  }
  return {
    register(entityType, resolver) {
      if (resolvers.has(entityType)) throw new Error(`record type ${entityType} registered twice`);
      resolvers.set(entityType, resolver);
    },
    resolve(ex: Executor, ctx: Ctx, entityType: string, entityId: string): Promise<LinkedRecord> {
      return get(entityType).resolve(ex, ctx, entityId);
    },
    canWrite(ctx: Ctx, record: LinkedRecord): boolean {
      return get(record.entityType).canWrite(ctx, record);
    },
    types: () => [...resolvers.keys()],
  };
}
