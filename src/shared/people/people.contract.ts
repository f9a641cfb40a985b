import { z } from 'zod';
import { IdSchema, ListQueryBase, pageOf } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';
import { PersonCreateInput, PersonSchema } from './people.schemas.ts';

const tags = ['people'];
const OfficeParams = z.strictObject({ officeId: IdSchema });

export const listPeople = defineContract({
  method: 'GET',
  path: '/api/v1/offices/:officeId/people',
  permission: 'person.read',
  officeFrom: 'officeId',
  operationId: 'listPeople',
  summary: "List an office's people",
  tags,
  params: OfficeParams,
  query: z.strictObject({ ...ListQueryBase, q: z.string().trim().max(200).optional() }),
  response: pageOf(PersonSchema),
});

export const createPerson = defineContract({
  method: 'POST',
  path: '/api/v1/offices/:officeId/people',
  permission: 'person.write',
  officeFrom: 'officeId',
  operationId: 'createPerson',
  summary: 'Add a person to an office',
  tags,
  params: OfficeParams,
  body: PersonCreateInput,
  response: PersonSchema,
  status: 201,
});

export const peopleContracts = [listPeople, createPerson];
