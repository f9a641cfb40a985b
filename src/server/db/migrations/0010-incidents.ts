import type { Kysely } from 'kysely';

/** Incidents (core record), the category catalogue, named access to sensitive incidents, involved persons (issue #5). */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incident_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.references('offices.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('label_fr', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('default_severity', 'integer')
    .addColumn('sensitive', 'integer', (c) => c.notNull())
    .addColumn('always_immediate', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_categories_code')
    .on('incident_categories')
    .columns(['code', 'office_id'])
    .execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('ref_year', 'integer', (c) => c.notNull())
    .addColumn('ref_seq', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('narrative', 'text')
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('determination', 'text', (c) => c.notNull())
    .addColumn('severity', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_before_pause', 'text')
    .addColumn('paused_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('paused_since', 'text')
    .addColumn('pause_log', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('occurred_at', 'text')
    .addColumn('detected_at', 'text')
    .addColumn('reported_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('contained_at', 'text')
    .addColumn('hq_notified_at', 'text')
    .addColumn('hq_acknowledged_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('country', 'text')
    .addColumn('city', 'text')
    .addColumn('site_id', 'text', (c) => c.references('sites.id'))
    .addColumn('location_type', 'text')
    .addColumn('location_text', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('report_channel', 'text', (c) => c.notNull())
    .addColumn('reporter_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('reporter_name', 'text')
    .addColumn('owner_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('reviewer_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('reviewed_at', 'text')
    .addColumn('review_note', 'text')
    .addColumn('affected_assets', 'text', (c) => c.notNull())
    .addColumn('observables', 'text', (c) => c.notNull())
    .addColumn('impacts', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text')
    .addColumn('anyone_hurt', 'integer')
    .addColumn('help_needed', 'text')
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('classification', 'text')
    .addColumn('sensitive', 'integer', (c) => c.notNull())
    .addColumn('closing_summary', 'text')
    .addColumn('lessons_learned', 'text')
    .addColumn('duplicate_of', 'text')
    .addColumn('client_key', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incidents_office_seq')
    .on('incidents')
    .columns(['office_id', 'ref_year', 'ref_seq'])
    .unique()
    .execute();
  await db.schema
    .createIndex('incidents_office_reported')
    .on('incidents')
    .columns(['office_id', 'reported_at', 'id'])
    .execute();
  await db.schema.createIndex('incidents_reported').on('incidents').columns(['reported_at', 'id']).execute();
  await db.schema
    .createIndex('incidents_office_severity')
    .on('incidents')
    .columns(['office_id', 'severity', 'reported_at'])
    .execute();
  await db.schema.createIndex('incidents_office_status').on('incidents').columns(['office_id', 'status']).execute();
  await db.schema
    .createIndex('incidents_reporter')
    .on('incidents')
    .columns(['reporter_user_id', 'reported_at'])
    .execute();
  await db.schema.createIndex('incidents_owner').on('incidents').column('owner_user_id').execute();
  await db.schema
    .createIndex('incidents_client_key')
    .on('incidents')
    .columns(['reporter_user_id', 'client_key'])
    .unique()
    .execute();

  await db.schema
    .createTable('incident_access')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('granted_by', 'text')
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_access_pk', ['incident_id', 'user_id'])
    .execute();
  await db.schema.createIndex('incident_access_user').on('incident_access').column('user_id').execute();

  await db.schema
    .createTable('incident_persons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.references('persons.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_persons_incident').on('incident_persons').column('incident_id').execute();
}
