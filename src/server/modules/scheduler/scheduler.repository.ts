import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { SchedulerJobsTable } from '../../db/tables/notifications.ts';

export type JobRow = SchedulerJobsTable;

function blank(name: string, cron: string): JobRow {
  return {
    name,
    cron,
    last_started_at: null,
    last_finished_at: null,
    last_success_at: null,
    last_error: null,
    last_error_at: null,
    last_instance: null,
    runs: 0,
    failures: 0,
    consecutive_failures: 0,
  };
}

export async function ensure(ex: Executor, name: string, cron: string): Promise<void> {
  await ex
    .insertInto('scheduler_jobs')
    .values(blank(name, cron))
    .onConflict((oc) => oc.column('name').doUpdateSet({ cron }))
    .execute();
}

export async function started(ex: Executor, name: string, cron: string, at: string, instance: string): Promise<void> {
  await ex
    .insertInto('scheduler_jobs')
    .values({ ...blank(name, cron), last_started_at: at, last_instance: instance })
    .onConflict((oc) => oc.column('name').doUpdateSet({ cron, last_started_at: at, last_instance: instance }))
    .execute();
}

export async function succeeded(ex: Executor, name: string, at: string): Promise<void> {
  await ex
    .updateTable('scheduler_jobs')
    .set({
      last_finished_at: at,
      last_success_at: at,
      runs: sql`runs + 1`,
      consecutive_failures: 0,
    })
    .where('name', '=', name)
    .execute();
}

export async function failed(ex: Executor, name: string, at: string, error: string): Promise<void> {
  await ex
    .updateTable('scheduler_jobs')
    .set({
      last_finished_at: at,
      last_error: error,
      last_error_at: at,
      runs: sql`runs + 1`,
      failures: sql`failures + 1`,
      consecutive_failures: sql`consecutive_failures + 1`,
    })
    .where('name', '=', name)
    .execute();
}

export async function all(ex: Executor): Promise<JobRow[]> {
  return ex.selectFrom('scheduler_jobs').selectAll().orderBy('name').execute();
}
