import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * On PostgreSQL the audit trail is append-only in the database itself: UPDATE, DELETE and TRUNCATE on
 * audit_log raise an error whoever runs them (short of the table owner disabling the trigger, which
 * `outpost restore` does inside its transaction). On SQLite the hash chain detects tampering.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`
    create function outpost_audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'the audit trail is append-only: % on audit_log refused', tg_op using errcode = '42501';
    end $$`.execute(db);
  await sql`
    create trigger audit_log_append_only before update or delete or truncate on audit_log
    for each statement execute function outpost_audit_log_append_only()`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`drop trigger if exists audit_log_append_only on audit_log`.execute(db);
  await sql`drop function if exists outpost_audit_log_append_only()`.execute(db);
}
