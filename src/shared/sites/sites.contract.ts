import { z } from 'zod';
import { EmptySchema, IdParamsSchema, IdSchema, ListQueryBase, pageOf } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';
import { SITE_SORTS, SiteCreateInput, SiteKindSchema, SiteSchema, SiteUpdateInput } from './sites.schemas.ts';

const tags = ['sites'];
const OfficeParams = z.strictObject({ officeId: IdSchema });

export const listSites = defineContract({
  method: 'GET',
  path: '/api/v1/offices/:officeId/sites',
  permission: 'site.read',
  officeFrom: 'officeId',
  operationId: 'listSites',
  summary: "List an office's sites",
  tags,
  params: OfficeParams,
  query: z.strictObject({
    ...ListQueryBase,
    sort: z.enum(SITE_SORTS).default('name'),
    q: z.string().trim().max(200).optional(),
    kind: SiteKindSchema.optional(),
  }),
  response: pageOf(SiteSchema),
});

export const createSite = defineContract({
  method: 'POST',
  path: '/api/v1/offices/:officeId/sites',
  permission: 'site.write',
  officeFrom: 'officeId',
  operationId: 'createSite',
  summary: 'Add a site to an office',
  tags,
  params: OfficeParams,
  body: SiteCreateInput,
  response: SiteSchema,
  status: 201,
});

export const getSite = defineContract({
  method: 'GET',
  path: '/api/v1/sites/:id',
  permission: 'site.read',
  officeFrom: 'record',
  operationId: 'getSite',
  summary: 'Read one site',
  tags,
  params: IdParamsSchema,
  response: SiteSchema,
});

export const updateSite = defineContract({
  method: 'PATCH',
  path: '/api/v1/sites/:id',
  permission: 'site.write',
  officeFrom: 'record',
  operationId: 'updateSite',
  summary: 'Change a site (the body carries the version it was read at; a stale version is a 409)',
  tags,
  params: IdParamsSchema,
  body: SiteUpdateInput,
  response: SiteSchema,
});

export const deleteSite = defineContract({
  method: 'DELETE',
  path: '/api/v1/sites/:id',
  permission: 'site.write',
  officeFrom: 'record',
  operationId: 'deleteSite',
  summary: 'Delete a site (soft delete, audited)',
  tags,
  params: IdParamsSchema,
  query: z.strictObject({ version: z.coerce.number().int().min(1) }),
  response: EmptySchema,
  status: 204,
});

export const siteContracts = [listSites, createSite, getSite, updateSite, deleteSite];
