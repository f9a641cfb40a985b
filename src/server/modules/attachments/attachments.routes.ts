import type { FastifyRequest } from 'fastify';
import * as c from '../../../shared/attachments/attachments.contract.ts';
import { Invalid } from '../../lib/errors.ts';
import type { RouteRegistrar } from '../../lib/route.ts';
import type { StagedFile } from './attachments.blobs.ts';
import { formatBytes, PayloadTooLarge, UnsupportedMediaType } from './attachments.files.ts';
import type { FileReceiver } from './attachments.service.ts';

const oneFile = (detail: string) =>
  new Invalid(detail, [{ path: 'file', message: 'send exactly one file part named "file"', code: 'multipart_shape' }]);

/** The request's multipart body as a FileReceiver: exactly one file part named `file`, nothing else. */
function multipartReceiver(req: FastifyRequest, maxBytes: number): FileReceiver {
  return async (consume) => {
    if (!req.isMultipart())
      throw new UnsupportedMediaType('Send the file as multipart/form-data, in one part named "file".');
    let staged: StagedFile | undefined;
    try {
      const parts = req.parts({ limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 6, fieldSize: 1000 } });
      for await (const part of parts) {
        if (part.type !== 'file') throw oneFile(`Unexpected form field "${part.fieldname.slice(0, 50)}".`);
        if (part.fieldname !== 'file') throw oneFile(`The file must be in a part named "file".`);
        if (staged) throw oneFile('Send one file per request.');
        staged = await consume({
          filename: part.filename,
          stream: part.file,
          isTruncated: () => part.file.truncated,
        });
      }
    } catch (e) {
      await staged?.discard();
      const code = (e as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE')
        throw new PayloadTooLarge(`The file is over the limit of ${formatBytes(maxBytes)}; nothing was stored.`);
      if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
        throw oneFile('Send one file per request, with no other fields.');
      const status = (e as { statusCode?: number }).statusCode;
      if (code?.startsWith('FST_') || (status !== undefined && status >= 400 && status < 500) || isBusboyError(e))
        throw new Invalid(`The multipart body is malformed (${(e as Error).message}).`, [
          { path: 'file', message: 'malformed multipart body', code: 'multipart_malformed' },
        ]);
      throw e;
    }
    if (!staged) throw oneFile('The request has no file: send it in a part named "file".');
    return staged;
  };
}

function isBusboyError(e: unknown): boolean {
  const m = e instanceof Error ? e.message : '';
  return /multipart|boundary|Unexpected end of form|Part terminated|Malformed/i.test(m);
}

export const registerAttachmentRoutes: RouteRegistrar = (route, { attachments }, config) => {
  route(c.listAttachments, ({ ctx, query }) => attachments.list(ctx, query));
  route(c.uploadAttachment, ({ ctx, query, req }) =>
    attachments.upload(ctx, query, multipartReceiver(req, config.ATTACHMENT_MAX_BYTES)),
  );
  route(c.getAttachment, ({ ctx, params }) => attachments.get(ctx, params.id));
  route(c.downloadAttachment, async ({ ctx, params, reply }) => {
    const d = await attachments.download(ctx, params.id);
    reply.headers(d.headers);
    return d.stream;
  });
  route(c.attachmentThumbnail, async ({ ctx, params, reply }) => {
    const d = await attachments.thumbnail(ctx, params.id);
    reply.headers(d.headers);
    return d.stream;
  });
  route(c.verifyAttachment, ({ ctx, params }) => attachments.verify(ctx, params.id));
  route(c.deleteAttachment, ({ ctx, params, query }) => attachments.remove(ctx, params.id, query.version));
};
