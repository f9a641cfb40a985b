import type { Kysely } from 'kysely';

/** Attachments (see ADR 0010): metadata rows; the content lives in the content-addressed blob store. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.references('offices.id'))
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('thumb_sha256', 'text')
    .addColumn('uploaded_by', 'text', (c) => c.references('users.id'))
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createIndex('attachments_entity')
    .on('attachments')
    .columns(['entity_type', 'entity_id', 'uploaded_at'])
    .execute();
  await db.schema.createIndex('attachments_sha256').on('attachments').column('sha256').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('attachments').execute();
}
