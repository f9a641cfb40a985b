import { z } from 'zod';
import { TimestampSchema } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';

export const JobStatusSchema = z.object({
  name: z.string(),
  cron: z.string(),
  /** Registered in this server process (a job seen only in the table was registered by another version). */
  registered: z.boolean(),
  /** Running now in this server process. */
  running: z.boolean(),
  nextRunAt: TimestampSchema.nullable(),
  lastStartedAt: TimestampSchema.nullable(),
  lastFinishedAt: TimestampSchema.nullable(),
  lastSuccessAt: TimestampSchema.nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: TimestampSchema.nullable(),
  /** The server instance (host and process) that ran it last. */
  lastInstance: z.string().nullable(),
  runs: z.int(),
  failures: z.int(),
  consecutiveFailures: z.int(),
});
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const listJobs = defineContract({
  method: 'GET',
  path: '/api/v1/admin/jobs',
  permission: 'integration.manage',
  operationId: 'listJobs',
  summary: 'Scheduled jobs: when each ran last, its last error, when it runs next',
  tags: ['scheduler'],
  response: z.object({ items: z.array(JobStatusSchema) }),
});

export const schedulerContracts = [listJobs];
