import { z } from 'zod';
import { ListQueryBase, pageOf } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';
import { AuditEntrySchema, AuditFilterSchema, AuditVerifySchema } from './audit.schemas.ts';

const tags = ['audit'];

export const listAudit = defineContract({
  method: 'GET',
  path: '/api/v1/audit',
  permission: 'audit.read',
  operationId: 'listAudit',
  summary: 'The audit trail, newest first, filtered',
  tags,
  query: AuditFilterSchema.extend(ListQueryBase),
  response: pageOf(AuditEntrySchema),
});

export const exportAudit = defineContract({
  method: 'GET',
  path: '/api/v1/audit/export.csv',
  permission: 'audit.read',
  operationId: 'exportAudit',
  summary: 'The filtered audit trail as CSV (the export itself is audited)',
  tags,
  query: AuditFilterSchema,
  response: z.string().describe('text/csv'),
});

export const verifyAudit = defineContract({
  method: 'GET',
  path: '/api/v1/audit/verify',
  permission: 'audit.read',
  operationId: 'verifyAudit',
  summary: 'Check the hash chain of the whole audit trail',
  tags,
  response: AuditVerifySchema,
});

export const auditContracts = [listAudit, exportAudit, verifyAudit];
