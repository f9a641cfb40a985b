import type { Kysely } from 'kysely';

/** Checklists (see ADR 0010): versioned templates, runs pinned to a version, answers per item. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('checklist_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.references('offices.id'))
    .addColumn('builtin_key', 'text', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_fr', 'text')
    .addColumn('description', 'text')
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema
    .createIndex('checklist_templates_office')
    .on('checklist_templates')
    .columns(['office_id', 'name'])
    .execute();

  await db.schema
    .createTable('checklist_template_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('template_id', 'text', (c) => c.notNull().references('checklist_templates.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_fr', 'text')
    .addColumn('description', 'text')
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('checklist_template_versions_number', ['template_id', 'number'])
    .execute();

  await db.schema
    .createTable('checklist_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('template_id', 'text', (c) => c.notNull().references('checklist_templates.id'))
    .addColumn('template_version_id', 'text', (c) => c.notNull().references('checklist_template_versions.id'))
    .addColumn('site_id', 'text', (c) => c.references('sites.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('performed_by', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.references('users.id'))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('location', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('completed_at', 'text')
    .addColumn('completed_by', 'text', (c) => c.references('users.id'))
    .addColumn('score', 'double precision')
    .addColumn('failed_count', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema
    .createIndex('checklist_runs_office')
    .on('checklist_runs')
    .columns(['office_id', 'started_at'])
    .execute();
  await db.schema.createIndex('checklist_runs_version').on('checklist_runs').column('template_version_id').execute();

  await db.schema
    .createTable('checklist_answers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('checklist_runs.id'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('na', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('answered_by', 'text', (c) => c.references('users.id'))
    .addColumn('answered_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addUniqueConstraint('checklist_answers_item', ['run_id', 'item_id'])
    .execute();

  await db.schema
    .createTable('checklist_item_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('checklist_runs.id'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('checklist_item_tasks_item', ['run_id', 'item_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'checklist_item_tasks',
    'checklist_answers',
    'checklist_runs',
    'checklist_template_versions',
    'checklist_templates',
  ])
    await db.schema.dropTable(t).execute();
}
