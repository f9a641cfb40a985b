import { ensureWebBuilt } from '../scripts/web-build.js';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { systemCtx } from '../src/server/lib/auth.ts';
import { systemClock } from '../src/server/lib/clock.ts';
import { silentLogger } from '../src/server/lib/logger.ts';
import { testDatabase } from './test-db.ts';

/**
 * The real server on a random loopback port, on a fresh SQLite database, serving the built web app
 * (built first if stale), with an administrator who can sign in straight away. For browser tests.
 */
export async function startTestServer(): Promise<{
  url: string;
  adminEmail: string;
  adminPassword: string;
  close(): Promise<void>;
}> {
  ensureWebBuilt({ quiet: true });
  const db = await testDatabase('sqlite');
  const config = loadConfig({ DATA_DIR: db.dataDir, LOG_LEVEL: 'silent', PORT: '0' });
  const app = await buildApp({ config, database: db.database, clock: systemClock, logger: silentLogger });
  const adminEmail = 'e2e-admin@example.org';
  const adminPassword = 'e2e password of enough length';
  await app.services.users.create(systemCtx, {
    email: adminEmail,
    displayName: 'E2E Admin',
    role: 'admin',
    password: adminPassword,
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    adminEmail,
    adminPassword,
    async close() {
      await app.close();
      await db.cleanup();
    },
  };
}
