import type { Kysely } from 'kysely';

/** Tasks, recurring series, comments and the per-user calendar feed (see ADR 0010). */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('task_series')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('rrule', 'text', (c) => c.notNull())
    .addColumn('dtstart', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('owner_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('last_occurrence_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('task_series_due').on('task_series').columns(['active', 'last_occurrence_at']).execute();
  await db.schema.createIndex('task_series_owner').on('task_series').column('owner_user_id').execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('series_id', 'text', (c) => c.references('task_series.id'))
    .addColumn('occurrence_at', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('owner_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('due_at', 'text')
    .addColumn('due_key', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('completed_by', 'text')
    .addColumn('due_soon_sent_for', 'text')
    .addColumn('overdue_sent_for', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tasks_office_due').on('tasks').columns(['office_id', 'due_key', 'id']).execute();
  await db.schema.createIndex('tasks_owner_due').on('tasks').columns(['owner_user_id', 'due_key', 'id']).execute();
  await db.schema.createIndex('tasks_status_due').on('tasks').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('tasks_subject').on('tasks').columns(['subject_type', 'subject_id']).execute();
  await db.schema.createIndex('tasks_series').on('tasks').column('series_id').execute();

  await db.schema
    .createTable('task_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
    .addColumn('author_user_id', 'text')
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('task_comments_task').on('task_comments').columns(['task_id', 'created_at']).execute();

  await db.schema
    .createTable('calendar_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().unique().references('users.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['calendar_feeds', 'task_comments', 'tasks', 'task_series']) await db.schema.dropTable(t).execute();
}
