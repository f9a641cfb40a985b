import type { Kysely } from 'kysely';

/** Escalation matrix per office and escalation steps with their timers (issue #5, ADR 0011). */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('escalation_rules')
    .addColumn('office_id', 'text', (c) => c.primaryKey().references('offices.id'))
    .addColumn('matrix', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('incident_escalations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('severity', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('targets', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('minutes', 'integer')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('paused_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('overdue_at', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema
    .createIndex('incident_escalations_incident')
    .on('incident_escalations')
    .columns(['incident_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('incident_escalations_due')
    .on('incident_escalations')
    .columns(['status', 'due_at'])
    .execute();
}
