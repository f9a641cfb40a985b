import type { Kysely } from 'kysely';

/** Escalation matrix per office and escalation steps with timers (issue #5). Slot: filled in by its module. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(_db: Kysely<any>): Promise<void> {}
