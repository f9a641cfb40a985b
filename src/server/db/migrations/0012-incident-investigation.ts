import type { Kysely } from 'kysely';

/**
 * Investigation: timeline, evidence, chain of custody, communications, links, task templates (issue #5).
 * The built-in task templates are written by the module when first needed (investigation.templates.ts), not
 * here: a fresh database stays empty, so a backup can be restored into it.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incident_timeline')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('precision', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_detail', 'text')
    .addColumn('internal', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createIndex('incident_timeline_incident')
    .on('incident_timeline')
    .columns(['incident_id', 'occurred_at', 'id'])
    .execute();

  await db.schema
    .createTable('incident_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('acquired_at', 'text', (c) => c.notNull())
    .addColumn('acquired_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('acquired_by_name', 'text')
    .addColumn('acquisition_method', 'text')
    .addColumn('storage_location', 'text')
    .addColumn('sha256', 'text')
    .addColumn('attachment_id', 'text', (c) => c.references('attachments.id'))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_evidence_incident')
    .on('incident_evidence')
    .columns(['incident_id', 'acquired_at'])
    .execute();

  await db.schema
    .createTable('incident_custody')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('evidence_id', 'text', (c) => c.notNull().references('incident_evidence.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('from_party', 'text')
    .addColumn('to_party', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('recorded_by', 'text', (c) => c.references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('entry_hash', 'text', (c) => c.notNull())
    .addUniqueConstraint('incident_custody_seq', ['evidence_id', 'seq'])
    .execute();

  await db.schema
    .createTable('incident_communications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('recipient_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('communicated_at', 'text', (c) => c.notNull())
    .addColumn('communicated_by', 'text', (c) => c.references('users.id'))
    .addColumn('acknowledged', 'integer', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_communications_incident')
    .on('incident_communications')
    .columns(['incident_id', 'communicated_at'])
    .execute();

  await db.schema
    .createTable('incident_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('incident_links_incident').on('incident_links').column('incident_id').execute();
  await db.schema
    .createIndex('incident_links_target')
    .on('incident_links')
    .columns(['target_type', 'target_id'])
    .execute();

  await db.schema
    .createTable('incident_task_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('category_code', 'text', (c) => c.notNull())
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('title_fr', 'text', (c) => c.notNull())
    .addColumn('due_offset_hours', 'integer')
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addUniqueConstraint('incident_task_templates_item', ['category_code', 'item_key'])
    .execute();

  await db.schema
    .createTable('incident_applied_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('template_id', 'text', (c) => c.notNull().references('incident_task_templates.id'))
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
    .addColumn('applied_by', 'text', (c) => c.references('users.id'))
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('incident_applied_tasks_item', ['incident_id', 'template_id'])
    .execute();
}
