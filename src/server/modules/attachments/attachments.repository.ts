import type { Selectable } from 'kysely';
import type { Attachment } from '../../../shared/attachments/attachments.schemas.ts';
import type { Executor } from '../../db/database.ts';
import type { AttachmentsTable } from '../../db/tables/attachments.ts';
import { afterCursor, type Cursor } from '../../lib/pagination.ts';

export type AttachmentRow = Selectable<AttachmentsTable>;

export function toAttachment(r: AttachmentRow): Attachment {
  return {
    id: r.id,
    officeId: r.office_id,
    entityType: r.entity_type,
    entityId: r.entity_id,
    filename: r.filename,
    contentType: r.content_type,
    size: Number(r.size),
    sha256: r.sha256,
    hasThumbnail: r.thumb_sha256 !== null,
    uploadedBy: r.uploaded_by,
    uploadedAt: r.uploaded_at,
    version: r.version,
  };
}

export async function findById(ex: Executor, id: string): Promise<AttachmentRow | undefined> {
  return ex
    .selectFrom('attachments')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function listFor(
  ex: Executor,
  f: { entityType: string; entityId: string; cursor?: Cursor | undefined; limit: number },
): Promise<AttachmentRow[]> {
  let q = ex
    .selectFrom('attachments')
    .selectAll()
    .where('entity_type', '=', f.entityType)
    .where('entity_id', '=', f.entityId)
    .where('deleted_at', 'is', null);
  if (f.cursor) q = q.where(afterCursor('attachments', { column: 'uploaded_at', desc: true }, f.cursor));
  return q
    .orderBy('uploaded_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
}

export async function insert(ex: Executor, row: AttachmentRow): Promise<void> {
  await ex.insertInto('attachments').values(row).execute();
}

export async function softDeleteIfVersion(
  ex: Executor,
  id: string,
  expectedVersion: number,
  at: string,
  by: string | null,
): Promise<boolean> {
  const r = await ex
    .updateTable('attachments')
    .set({ deleted_at: at, deleted_by: by, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Every blob hash the table refers to (content and thumbnails), deleted rows included. */
export async function referencedHashes(ex: Executor): Promise<Set<string>> {
  const rows = await ex.selectFrom('attachments').select(['sha256', 'thumb_sha256']).execute();
  const out = new Set<string>();
  for (const r of rows) {
    out.add(r.sha256);
    if (r.thumb_sha256) out.add(r.thumb_sha256);
  }
  return out;
}
