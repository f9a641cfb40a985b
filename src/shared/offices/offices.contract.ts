import { z } from 'zod';
import { EmptySchema, IdParamsSchema, ListQueryBase, pageOf } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';
import { OFFICE_SORTS, OfficeCreateInput, OfficeSchema, OfficeUpdateInput } from './offices.schemas.ts';

const tags = ['offices'];

export const listOffices = defineContract({
  method: 'GET',
  path: '/api/v1/offices',
  permission: 'office.read',
  operationId: 'listOffices',
  summary: 'List the offices the caller may see',
  tags,
  query: z.strictObject({
    ...ListQueryBase,
    sort: z.enum(OFFICE_SORTS).default('code'),
    q: z.string().trim().max(200).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
  }),
  response: pageOf(OfficeSchema),
});

export const getOffice = defineContract({
  method: 'GET',
  path: '/api/v1/offices/:id',
  permission: 'office.read',
  officeFrom: 'record',
  operationId: 'getOffice',
  summary: 'Read one office',
  tags,
  params: IdParamsSchema,
  response: OfficeSchema,
});

export const createOffice = defineContract({
  method: 'POST',
  path: '/api/v1/offices',
  permission: 'office.create',
  operationId: 'createOffice',
  summary: 'Create an office',
  tags,
  body: OfficeCreateInput,
  response: OfficeSchema,
  status: 201,
});

export const updateOffice = defineContract({
  method: 'PATCH',
  path: '/api/v1/offices/:id',
  permission: 'office.update',
  officeFrom: 'record',
  operationId: 'updateOffice',
  summary: 'Change an office (the body carries the version it was read at; a stale version is a 409)',
  tags,
  params: IdParamsSchema,
  body: OfficeUpdateInput,
  response: OfficeSchema,
});

export const deleteOffice = defineContract({
  method: 'DELETE',
  path: '/api/v1/offices/:id',
  permission: 'office.delete',
  officeFrom: 'record',
  operationId: 'deleteOffice',
  summary: 'Delete an office (soft delete, audited)',
  tags,
  params: IdParamsSchema,
  query: z.strictObject({ version: z.coerce.number().int().min(1) }),
  response: EmptySchema,
  status: 204,
});

export const officeContracts = [listOffices, getOffice, createOffice, updateOffice, deleteOffice];
