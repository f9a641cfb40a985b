import { z } from 'zod';
import { EmptySchema, IdParamsSchema, IdSchema } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';
import {
  EscalationListSchema,
  EscalationMatrixInput,
  EscalationMatrixViewSchema,
  EscalationSchema,
  PendingEscalationsQuery,
} from './escalation.schemas.ts';

/** Escalation routes (issue #5): the matrix per office, an incident's escalation steps, acknowledgement. */
const tags = ['incidents'];
const OfficeParams = z.strictObject({ officeId: IdSchema });
const EscalationParams = z.strictObject({ escalationId: IdSchema });

export const getEscalationMatrix = defineContract({
  method: 'GET',
  path: '/api/v1/offices/:officeId/escalation-matrix',
  permission: 'incident.read',
  officeFrom: 'officeId',
  operationId: 'getEscalationMatrix',
  summary: "The office's escalation matrix (the defaults, version 0, until the office sets its own)",
  tags,
  params: OfficeParams,
  response: EscalationMatrixViewSchema,
});

export const putEscalationMatrix = defineContract({
  method: 'PUT',
  path: '/api/v1/offices/:officeId/escalation-matrix',
  permission: 'incident.manage',
  officeFrom: 'officeId',
  operationId: 'putEscalationMatrix',
  summary: "Change the office's escalation matrix (version 0 the first time; a stale version is a 409)",
  tags,
  params: OfficeParams,
  body: EscalationMatrixInput,
  response: EscalationMatrixViewSchema,
});

export const listIncidentEscalations = defineContract({
  method: 'GET',
  path: '/api/v1/incidents/:id/escalations',
  permission: 'incident.read',
  operationId: 'listIncidentEscalations',
  summary:
    "An incident's escalation steps, oldest first: who was told, by when they must acknowledge, and whether they did",
  tags,
  params: IdParamsSchema,
  response: EscalationListSchema,
});

export const acknowledgeEscalation = defineContract({
  method: 'POST',
  path: '/api/v1/incident-escalations/:escalationId/acknowledge',
  permission: 'incident.read',
  operationId: 'acknowledgeEscalation',
  summary:
    "Acknowledge an incident's escalation (HQ security, an administrator, or a recipient of the step): stops its timers; a second acknowledgement is a 409",
  tags,
  params: EscalationParams,
  body: EmptySchema,
  response: EscalationSchema,
});

export const listPendingEscalations = defineContract({
  method: 'GET',
  path: '/api/v1/incident-escalations',
  permission: 'incident.read',
  operationId: 'listPendingEscalations',
  summary: 'Escalations waiting for acknowledgement in the offices the caller sees (HQ’s queue), most urgent first',
  tags,
  query: PendingEscalationsQuery,
  response: EscalationListSchema,
});

export const escalationContracts = [
  getEscalationMatrix,
  putEscalationMatrix,
  listIncidentEscalations,
  acknowledgeEscalation,
  listPendingEscalations,
];
