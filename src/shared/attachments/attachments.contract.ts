import { z } from 'zod';
import { EmptySchema, IdParamsSchema, ListQueryBase, pageOf } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';
import { AttachmentSchema, AttachmentTargetSchema, AttachmentVerifySchema } from './attachments.schemas.ts';

const tags = ['attachments'];
const Binary = z.unknown().describe('The file itself (binary)');

export const listAttachments = defineContract({
  method: 'GET',
  path: '/api/v1/attachments',
  permission: 'attachment.read',
  officeFrom: 'record',
  operationId: 'listAttachments',
  summary: 'List the files attached to a record (newest first); 404 when the record is not visible',
  tags,
  query: z.strictObject({ ...AttachmentTargetSchema.shape, ...ListQueryBase }),
  response: pageOf(AttachmentSchema),
});

export const uploadAttachment = defineContract({
  method: 'POST',
  path: '/api/v1/attachments',
  permission: 'attachment.write',
  officeFrom: 'record',
  operationId: 'uploadAttachment',
  summary:
    'Attach a file to a record: multipart/form-data with one file part named `file`. The type is sniffed from the content; over ATTACHMENT_MAX_BYTES is a 413; a file the scanner rejects is a 422 and is not stored',
  tags,
  query: AttachmentTargetSchema,
  response: AttachmentSchema,
  status: 201,
});

export const getAttachment = defineContract({
  method: 'GET',
  path: '/api/v1/attachments/:id',
  permission: 'attachment.read',
  officeFrom: 'record',
  operationId: 'getAttachment',
  summary: "Read one attachment's metadata (with its SHA-256)",
  tags,
  params: IdParamsSchema,
  response: AttachmentSchema,
});

export const downloadAttachment = defineContract({
  method: 'GET',
  path: '/api/v1/attachments/:id/content',
  permission: 'attachment.read',
  officeFrom: 'record',
  operationId: 'downloadAttachment',
  summary:
    'Download the file: always `Content-Disposition: attachment`, never rendered inline; the type is the sniffed one only for images and PDF, otherwise application/octet-stream',
  tags,
  params: IdParamsSchema,
  response: Binary,
});

export const attachmentThumbnail = defineContract({
  method: 'GET',
  path: '/api/v1/attachments/:id/thumbnail',
  permission: 'attachment.read',
  officeFrom: 'record',
  operationId: 'attachmentThumbnail',
  summary: 'A small WebP preview of an image attachment (404 when it has none)',
  tags,
  params: IdParamsSchema,
  response: Binary,
});

export const verifyAttachment = defineContract({
  method: 'GET',
  path: '/api/v1/attachments/:id/verify',
  permission: 'attachment.read',
  officeFrom: 'record',
  operationId: 'verifyAttachment',
  summary: 'Re-hash the stored file and say whether it still matches the recorded SHA-256',
  tags,
  params: IdParamsSchema,
  response: AttachmentVerifySchema,
});

export const deleteAttachment = defineContract({
  method: 'DELETE',
  path: '/api/v1/attachments/:id',
  permission: 'attachment.write',
  officeFrom: 'record',
  operationId: 'deleteAttachment',
  summary: 'Remove an attachment (soft delete, audited; the query carries the version it was read at)',
  tags,
  params: IdParamsSchema,
  query: z.strictObject({ version: z.coerce.number().int().min(1).max(2_147_483_647) }),
  response: EmptySchema,
  status: 204,
});

export const attachmentContracts = [
  listAttachments,
  uploadAttachment,
  getAttachment,
  downloadAttachment,
  attachmentThumbnail,
  verifyAttachment,
  deleteAttachment,
];
