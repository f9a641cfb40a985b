import { z } from 'zod';
import { ListQueryBase, pageOf } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';
import { UserSchema } from './users.schemas.ts';

export const listUsers = defineContract({
  method: 'GET',
  path: '/api/v1/users',
  permission: 'user.read',
  operationId: 'listUsers',
  summary: 'List user accounts (of the offices the caller may see)',
  tags: ['users'],
  query: z.strictObject({ ...ListQueryBase }),
  response: pageOf(UserSchema),
});

export const userContracts = [listUsers];
