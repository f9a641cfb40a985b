/** Tables of the search building block (migration files own the DDL; these are the row types). */

/**
 * One row per searchable record (ADR 0010). The full-text index is kept in step with it by triggers
 * in the same transaction: an FTS5 external-content table on SQLite (rowid = a hidden `seq` integer
 * primary key, not part of this type), a trigger-maintained `tsv` tsvector with a GIN index on PostgreSQL
 * (not part of this type either: nothing outside the search repository reads it).
 */
export interface SearchDocumentsTable {
  id: string;
  entity_type: string;
  entity_id: string;
  office_id: string | null;
  title: string;
  body: string;
  /** Permission needed to see the document (office-scoped by office_id). */
  permission: string;
  /** JSON array of user ids, or null when every holder of the permission in the office may see it. */
  restricted_to: string | null;
  /**
   * Filter tokens indexed alongside the text (the office, as one token such as `ox0193…`), so the
   * SQLite index narrows a query to the caller's offices before ranking. Derived from office_id.
   */
  scope: string;
  updated_at: string;
}

export interface SearchTables {
  search_documents: SearchDocumentsTable;
}
