import pg from 'pg';
import { TEST_PG_URL } from './test-db.ts';

/**
 * Decides once per run whether PostgreSQL is tested. In CI (CI=true) an unreachable PostgreSQL fails
 * the run; on a developer machine the PostgreSQL half is left out, and the run says so loudly.
 */
export default async function setup(): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    process.env.OUTPOST_TEST_PG = '1';
  } catch (err) {
    const why = `PostgreSQL at ${TEST_PG_URL} is not reachable (${(err as Error).message}).`;
    if (process.env.CI === 'true') throw new Error(`${why} In CI the PostgreSQL tests must run.`);
    process.env.OUTPOST_TEST_PG = '0';
    process.stderr.write(
      `\n${'!'.repeat(78)}\n!! ${why}\n!! THE POSTGRESQL HALF OF THE SUITE IS NOT RUNNING. Set OUTPOST_TEST_DATABASE_URL.\n${'!'.repeat(78)}\n\n`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}
