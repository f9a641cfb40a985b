import { defineContract } from '../contract.ts';
import { SearchPageSchema, SearchQuerySchema } from './search.schemas.ts';

const tags = ['search'];

export const searchRecords = defineContract({
  method: 'GET',
  path: '/api/v1/search',
  permission: 'search.use',
  operationId: 'search',
  summary:
    "Full-text search across the records the caller may see (their role's permissions, their offices, restricted records they are named in), best first",
  tags,
  query: SearchQuerySchema,
  response: SearchPageSchema,
});

export const searchContracts = [searchRecords];
