import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { fileTypeFromFile } from 'file-type';
import type { Kysely } from 'kysely';
import {
  type Attachment,
  type AttachmentTarget,
  type AttachmentVerify,
  SAFE_CONTENT_TYPES,
  THUMBNAIL_TYPES,
} from '../../../shared/attachments/attachments.schemas.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { assertCan, assertOffice, type Ctx } from '../../lib/auth.ts';
import { type Clock, isoNow } from '../../lib/clock.ts';
import { AppError, Forbidden, Invalid, NotFound, VersionConflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import type { LinkedRecord, RecordLinks } from '../../lib/ports.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { type BlobStore, createBlobStore, type StagedFile } from './attachments.blobs.ts';
import {
  type AttachmentScanner,
  acceptAllScanner,
  contentDisposition,
  formatBytes,
  PayloadTooLarge,
  sanitiseFilename,
  Unprocessable,
} from './attachments.files.ts';
import * as repo from './attachments.repository.ts';

/** One file part of an upload, as the transport (multipart) hands it over. */
export interface IncomingFile {
  filename: string;
  stream: Readable;
  /** True once the stream was cut at the size limit. */
  isTruncated(): boolean;
}

/**
 * Reads the request's one file and passes it to `consume` (which stages it); rejects wrong shapes
 * (no file, two files, not multipart) with 4xx errors. Called only after the parent record is checked.
 */
export type FileReceiver = (consume: (f: IncomingFile) => Promise<StagedFile>) => Promise<StagedFile>;

export interface Download {
  stream: Readable;
  headers: Record<string, string>;
}

class BlobMissing extends AppError {
  readonly status = 500;
  readonly type: string = 'blob-missing';
  readonly title: string = 'Stored file missing';
}

/** Headers for serving stored bytes: never inline, never sniffed, never scripted. */
function servingHeaders(contentType: string, size: number, disposition: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-length': String(size),
    'content-disposition': disposition,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'private, no-store',
  };
}

export function servedType(sniffed: string): string {
  return (SAFE_CONTENT_TYPES as readonly string[]).includes(sniffed) ? sniffed : 'application/octet-stream';
}

/** The libvips loaders of THUMBNAIL_TYPES (PNG, JPEG, GIF, WebP): the only decoders a thumbnail may use. */
const RASTER_LOADERS = ['VipsForeignLoadPng', 'VipsForeignLoadJpeg', 'VipsForeignLoadNsgif', 'VipsForeignLoadWebp'];
type Sharp = typeof import('sharp')['default'];
let decoder: Promise<Sharp> | undefined;

/**
 * sharp, loaded with the first image rather than at start-up (idle memory is a benchmark target), with
 * every libvips loader blocked but the four raster ones. libvips picks its loader from the bytes, not
 * from the type we sniffed: a file that file-type calls a GIF but that reads `GIF<svg …` went to the
 * SVG loader (librsvg, an XML parser). With the block, SVG, PDF, HEIF, TIFF and the rest never run on
 * an upload. The block is process-wide, which is what the server wants.
 */
export function thumbnailDecoder(): Promise<Sharp> {
  decoder ??= import('sharp').then(({ default: sharp }) => {
    sharp.block({ operation: ['VipsForeignLoad'] });
    sharp.unblock({ operation: RASTER_LOADERS });
    return sharp;
  });
  return decoder;
}

async function makeThumbnail(file: string): Promise<Buffer | null> {
  try {
    const sharp = await thumbnailDecoder();
    return await sharp(file, { limitInputPixels: 50_000_000, failOn: 'error' })
      .rotate()
      .resize({ width: 320, height: 320, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 70 })
      .toBuffer();
  } catch {
    // A damaged or exotic image still uploads; it just has no preview.
    return null;
  }
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;

export function createAttachmentService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  links: RecordLinks;
  dataDir: string;
  maxBytes: number;
  scanner?: AttachmentScanner;
}) {
  const { db, clock, audit, links, maxBytes } = deps;
  const scanner = deps.scanner ?? acceptAllScanner;
  const blobs: BlobStore = createBlobStore(deps.dataDir);

  async function parentFor(ex: Executor, ctx: Ctx, entityType: string, entityId: string): Promise<LinkedRecord> {
    return links.resolve(ex, ctx, entityType, entityId);
  }

  /** The row, if the caller may see the record it hangs off (404 otherwise, whatever the reason). */
  async function load(ex: Executor, ctx: Ctx, id: string) {
    const row = await repo.findById(ex, id);
    if (!row) throw new NotFound('No such attachment.');
    if (row.office_id) assertOffice(ctx, row.office_id, 'attachment');
    let parent: LinkedRecord;
    try {
      parent = await parentFor(ex, ctx, row.entity_type, row.entity_id);
    } catch (e) {
      if (e instanceof NotFound || e instanceof Invalid || e instanceof Forbidden)
        throw new NotFound('No such attachment.');
      throw e;
    }
    return { row, parent };
  }

  function assertWritable(ctx: Ctx, parent: LinkedRecord): void {
    if (!links.canWrite(ctx, parent))
      throw new Forbidden('You may see this record but not add or remove its attachments.');
  }

  return {
    blobs,

    async list(ctx: Ctx, target: AttachmentTarget & { cursor?: string | undefined; limit: number }) {
      assertCan(ctx, 'attachment.read');
      await parentFor(db, ctx, target.entityType, target.entityId);
      const rows = await repo.listFor(db, {
        entityType: target.entityType,
        entityId: target.entityId,
        cursor: decodeCursor(target.cursor),
        limit: target.limit,
      });
      return toPage(rows, target.limit, (r) => r.uploaded_at, repo.toAttachment);
    },

    async get(ctx: Ctx, id: string): Promise<Attachment> {
      assertCan(ctx, 'attachment.read');
      return repo.toAttachment((await load(db, ctx, id)).row);
    },

    /**
     * Checks the parent record first (404 when the caller cannot see it, 403 when they may not write to
     * it), then streams the file to a temporary file while hashing it, sniffs its type from the bytes,
     * runs the scanner, moves it into the content-addressed store and records it with its audit entry.
     */
    async upload(ctx: Ctx, target: AttachmentTarget, receive: FileReceiver): Promise<Attachment> {
      assertCan(ctx, 'attachment.write');
      const parent = await parentFor(db, ctx, target.entityType, target.entityId);
      assertWritable(ctx, parent);
      let filename = '';
      const staged = await receive((f) => {
        filename = f.filename;
        return blobs.stage(f.stream, () => f.isTruncated());
      });
      let contentType: string;
      try {
        if (staged.truncated || staged.size > maxBytes)
          throw new PayloadTooLarge(`The file is over the limit of ${formatBytes(maxBytes)}; nothing was stored.`);
        if (staged.size === 0)
          throw new Invalid('The file is empty; nothing was stored.', [{ path: 'file', message: 'is empty' }]);
        contentType = (await fileTypeFromFile(staged.tmpPath))?.mime ?? 'application/octet-stream';
        const verdict = await scanner.scan(staged.tmpPath);
        if (!verdict.clean) {
          throw new Unprocessable(
            `The virus scanner rejected the file (${verdict.reason ?? 'no reason given'}); it was not stored.`,
            [{ path: 'file', message: 'rejected by the virus scanner', code: 'infected' }],
          );
        }
        await blobs.commit(staged);
      } catch (e) {
        await staged.discard();
        throw e;
      }
      let thumb: string | null = null;
      if ((THUMBNAIL_TYPES as readonly string[]).includes(contentType)) {
        const buf = await makeThumbnail(blobs.pathOf(staged.sha256));
        if (buf) thumb = await blobs.putBuffer(buf);
      }
      const row: repo.AttachmentRow = {
        id: newId(),
        office_id: parent.officeId,
        entity_type: parent.entityType,
        entity_id: parent.entityId,
        filename: sanitiseFilename(filename),
        content_type: contentType,
        size: staged.size,
        sha256: staged.sha256,
        thumb_sha256: thumb,
        uploaded_by: ctx.actor?.userId ?? null,
        uploaded_at: isoNow(clock),
        version: 1,
        deleted_at: null,
        deleted_by: null,
      };
      await db.transaction().execute(async (trx) => {
        await repo.insert(trx, row);
        await audit.record(trx, ctx, {
          action: 'attachment.create',
          entityType: 'attachment',
          entityId: row.id,
          officeId: row.office_id,
          changes: {
            on: `${row.entity_type}:${row.entity_id}`,
            filename: row.filename,
            contentType: row.content_type,
            size: row.size,
            sha256: row.sha256,
          },
        });
      });
      return repo.toAttachment(row);
    },

    async download(ctx: Ctx, id: string): Promise<Download> {
      assertCan(ctx, 'attachment.read');
      const { row } = await load(db, ctx, id);
      if (!(await blobs.exists(row.sha256)))
        throw new BlobMissing(`The stored file of attachment ${row.id} is missing; restore it from a backup.`);
      return {
        stream: blobs.openRead(row.sha256),
        headers: servingHeaders(servedType(row.content_type), Number(row.size), contentDisposition(row.filename)),
      };
    },

    async thumbnail(ctx: Ctx, id: string): Promise<Download> {
      assertCan(ctx, 'attachment.read');
      const { row } = await load(db, ctx, id);
      const sha = row.thumb_sha256;
      if (!sha || !(await blobs.exists(sha))) throw new NotFound('This attachment has no thumbnail.');
      const { size } = await stat(blobs.pathOf(sha));
      const name = `${row.filename.replace(/\.[^.]*$/, '') || 'attachment'}-thumbnail.webp`;
      // A WebP we made ourselves: safe to show inline (an <img> in the web app), still sandboxed.
      const disposition = contentDisposition(name).replace(/^attachment;/, 'inline;');
      return { stream: blobs.openRead(sha), headers: servingHeaders('image/webp', size, disposition) };
    },

    async verify(ctx: Ctx, id: string): Promise<AttachmentVerify> {
      assertCan(ctx, 'attachment.read');
      const { row } = await load(db, ctx, id);
      const actual = await blobs.rehash(row.sha256);
      return {
        id: row.id,
        sha256: row.sha256,
        actualSha256: actual,
        match: actual === row.sha256,
        checkedAt: isoNow(clock),
      };
    },

    async remove(ctx: Ctx, id: string, version: number): Promise<void> {
      assertCan(ctx, 'attachment.write');
      // The parent is resolved before the transaction: resolvers may read through their own service
      // (outside the transaction), which on SQLite's single connection would wait on it forever.
      const { row, parent } = await load(db, ctx, id);
      assertWritable(ctx, parent);
      const conflict = (current: number) =>
        new VersionConflict('This attachment was changed by someone else; reload it before deleting.', current);
      if (row.version !== version) throw conflict(row.version);
      await db.transaction().execute(async (trx) => {
        const at = isoNow(clock);
        if (!(await repo.softDeleteIfVersion(trx, id, version, at, ctx.actor?.userId ?? null)))
          throw conflict((await repo.findById(trx, id))?.version ?? row.version);
        await audit.record(trx, ctx, {
          action: 'attachment.delete',
          entityType: 'attachment',
          entityId: id,
          officeId: row.office_id,
          changes: { on: `${row.entity_type}:${row.entity_id}`, filename: row.filename, sha256: row.sha256 },
        });
      });
    },

    /** For other modules (a checklist photo answer): the attachment, if it is live and hangs off that record. */
    async findOn(ex: Executor, id: string, entityType: string, entityId: string): Promise<Attachment | null> {
      const row = await repo.findById(ex, id);
      return row && row.entity_type === entityType && row.entity_id === entityId ? repo.toAttachment(row) : null;
    },
  };
}
