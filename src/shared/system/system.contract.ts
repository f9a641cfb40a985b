import { z } from 'zod';
import { defineContract } from '../contract.ts';

const tags = ['system'];

export const health = defineContract({
  method: 'GET',
  path: '/api/health',
  permission: 'public',
  operationId: 'health',
  summary: 'Liveness: the process answers',
  tags,
  response: z.object({ status: z.literal('ok') }),
});

export const ReadySchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.enum(['sqlite', 'postgres']),
  databaseReachable: z.boolean(),
  migrationsCurrent: z.boolean(),
  pendingMigrations: z.array(z.string()),
});

export const ready = defineContract({
  method: 'GET',
  path: '/api/ready',
  permission: 'public',
  operationId: 'ready',
  summary: 'Readiness: database reachable and migrations current (503 otherwise)',
  tags,
  response: ReadySchema,
});

export const systemContracts = [health, ready];
