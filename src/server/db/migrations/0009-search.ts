import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Search (see ADR 0010): one table of search documents and, per engine, a full-text index kept in step
 * with it by triggers, so every write to `search_documents` updates the index in the same transaction
 * (a restore that inserts rows reindexes them too).
 *
 * Both engines have the same columns, so backups move between them: `seq` is SQLite's rowid for the
 * index (unused on PostgreSQL), `tsv` PostgreSQL's tsvector (always null on SQLite).
 *
 * - SQLite: an FTS5 external-content table over (title, body, scope), rowid = `seq` (an INTEGER PRIMARY
 *   KEY, stable across VACUUM), tokenizer `unicode61 remove_diacritics 2` ("securite" finds
 *   "Sécurité"), prefix indexes of 2 and 3 characters for search-as-you-type.
 * - PostgreSQL: a `tsv` tsvector column (title weight A, body weight B) maintained by a trigger, with a
 *   GIN index, built with the text search configuration `outpost_search`: a copy of `simple` that
 *   strips accents with the `unaccent` extension when it can be installed (into `public`, where it is
 *   shared by every schema of the database), else plain `simple`.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return upPostgres(db);
  await sql`create table search_documents (
    seq integer primary key,
    id text not null unique,
    entity_type text not null,
    entity_id text not null,
    office_id text,
    title text not null,
    body text not null,
    permission text not null,
    restricted_to text,
    scope text not null,
    updated_at text not null,
    tsv text,
    unique (entity_type, entity_id)
  )`.execute(db);
  await sql`create virtual table search_fts using fts5(
    title, body, scope,
    content='search_documents', content_rowid='seq',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
  )`.execute(db);
  await sql`create trigger search_documents_ai after insert on search_documents begin
    insert into search_fts(rowid, title, body, scope) values (new.seq, new.title, new.body, new.scope);
  end`.execute(db);
  await sql`create trigger search_documents_ad after delete on search_documents begin
    insert into search_fts(search_fts, rowid, title, body, scope) values ('delete', old.seq, old.title, old.body, old.scope);
  end`.execute(db);
  await sql`create trigger search_documents_au after update of title, body, scope on search_documents begin
    insert into search_fts(search_fts, rowid, title, body, scope) values ('delete', old.seq, old.title, old.body, old.scope);
    insert into search_fts(rowid, title, body, scope) values (new.seq, new.title, new.body, new.scope);
  end`.execute(db);
  // A row restored from a PostgreSQL backup brings its tsvector; SQLite has no use for it.
  await sql`create trigger search_documents_no_tsv after insert on search_documents when new.tsv is not null begin
    update search_documents set tsv = null where seq = new.seq;
  end`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
async function upPostgres(db: Kysely<any>): Promise<void> {
  await sql`create table search_documents (
    seq bigint,
    id text primary key,
    entity_type text not null,
    entity_id text not null,
    office_id text,
    title text not null,
    body text not null,
    permission text not null,
    restricted_to text,
    scope text not null,
    updated_at text not null,
    tsv tsvector not null default ''::tsvector,
    unique (entity_type, entity_id)
  )`.execute(db);
  await sql`create index search_documents_tsv on search_documents using gin (tsv)`.execute(db);
  await sql`create index search_documents_office on search_documents (office_id)`.execute(db);

  const unaccentSchema = await ensureUnaccent(db);
  await sql`create text search configuration outpost_search (copy = simple)`.execute(db);
  if (unaccentSchema) {
    await sql`alter text search configuration outpost_search
      alter mapping for hword, hword_part, word with ${sql.id(unaccentSchema, 'unaccent')}, simple`.execute(db);
  }
  await sql`create function search_documents_tsv() returns trigger language plpgsql as $$
    begin
      new.tsv := setweight(to_tsvector('outpost_search', new.title), 'A')
              || setweight(to_tsvector('outpost_search', new.body), 'B');
      return new;
    end
  $$`.execute(db);
  await sql`create trigger search_documents_tsv before insert or update of title, body, tsv on search_documents
    for each row execute function search_documents_tsv()`.execute(db);
}

/**
 * Installs `unaccent` into `public` if it is not in the database yet and returns the schema it lives in,
 * or null when it cannot be had (not shipped with this PostgreSQL, or no right to create it). The
 * extension belongs to the database, not to our schema: several installations (or test runs, each in
 * its own schema) share it, and a concurrent run may be creating it at the same moment.
 */
// biome-ignore lint/suspicious/noExplicitAny: see up()
async function ensureUnaccent(db: Kysely<any>): Promise<string | null> {
  const find = async () =>
    (
      await sql<{ s: string }>`select n.nspname as s from pg_extension e
        join pg_namespace n on n.oid = e.extnamespace where e.extname = 'unaccent'`.execute(db)
    ).rows[0]?.s ?? null;
  const found = await find();
  if (found) return found;
  await sql`savepoint outpost_unaccent`.execute(db);
  try {
    await sql`create extension if not exists unaccent with schema public`.execute(db);
    await sql`release savepoint outpost_unaccent`.execute(db);
  } catch {
    await sql`rollback to savepoint outpost_unaccent`.execute(db);
  }
  return find();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // The unaccent extension stays: other schemas of the database may use it.
    await sql`drop table if exists search_documents`.execute(db);
    await sql`drop function if exists search_documents_tsv()`.execute(db);
    await sql`drop text search configuration if exists outpost_search`.execute(db);
    return;
  }
  await sql`drop table if exists search_fts`.execute(db);
  await sql`drop table if exists search_documents`.execute(db);
}
