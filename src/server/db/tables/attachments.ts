/** Tables of the attachments building block (migration files own the DDL; these are the row types). */
export interface AttachmentsTable {
  id: string;
  office_id: string | null;
  /** The record it hangs off (polymorphic, resolved through RecordLinks). */
  entity_type: string;
  entity_id: string;
  /** The name the uploader gave, sanitised; for display and the download name only, never a path. */
  filename: string;
  /** Sniffed from the content (`application/octet-stream` when unknown), never from the name or the client. */
  content_type: string;
  size: number;
  /** Lowercase hex SHA-256 of the content; also its address in the blob store. */
  sha256: string;
  thumb_sha256: string | null;
  uploaded_by: string | null;
  uploaded_at: string;
  version: number;
  deleted_at: string | null;
  deleted_by: string | null;
}

export interface AttachmentTables {
  attachments: AttachmentsTable;
}
