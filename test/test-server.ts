import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { ensureWebBuilt } from '../scripts/web-build.js';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { systemCtx } from '../src/server/lib/auth.ts';
import { type Clock, systemClock } from '../src/server/lib/clock.ts';
import { silentLogger } from '../src/server/lib/logger.ts';
import { createDemoService } from '../src/server/modules/demo/demo.service.ts';
import { testDatabase } from './test-db.ts';

/** A free loopback port, for a server that must know its own address before it starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface TestServerOptions {
  /**
   * Serve as `http://localhost:<port>` (BASE_URL), for what needs a real host name: WebAuthn takes the
   * passkey's relying party from BASE_URL's host, and browsers refuse an IP address there.
   */
  localhost?: boolean;
  /** More settings, e.g. OIDC_ISSUER for single sign-on. */
  env?: Record<string, string>;
  /** Load the demo office TBS first (`outpost demo`). */
  demo?: boolean;
  /** A controllable clock (`fixedClock`) for timers and escalations, instead of the system's. */
  clock?: Clock;
}

/**
 * The real server on a random loopback port, on a fresh SQLite database, serving the built web app
 * (built first if stale), with an administrator who can sign in straight away. For browser tests.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<{
  url: string;
  adminEmail: string;
  adminPassword: string;
  /** The running app's services, for driving scheduled jobs with the test's clock (`run(now)`). */
  services: Awaited<ReturnType<typeof buildApp>>['services'];
  close(): Promise<void>;
}> {
  ensureWebBuilt({ quiet: true });
  const db = await testDatabase('sqlite');
  const port = options.localhost ? await freePort() : 0;
  const config = loadConfig({
    DATA_DIR: db.dataDir,
    LOG_LEVEL: 'silent',
    PORT: String(port),
    ...(options.localhost ? { BASE_URL: `http://localhost:${port}` } : {}),
    ...options.env,
  });
  const clock = options.clock ?? systemClock;
  const app = await buildApp({ config, database: db.database, clock, logger: silentLogger });
  const adminEmail = 'e2e-admin@example.org';
  const adminPassword = 'e2e password of enough length';
  await app.services.users.create(systemCtx, {
    email: adminEmail,
    displayName: 'E2E Admin',
    role: 'admin',
    password: adminPassword,
  });
  await app.services.checklists.ensureBuiltInTemplates();
  await app.services.incidents.categories.ensureBuiltInCategories();
  if (options.demo) await createDemoService({ ...app.services, db: db.database.db, clock }).load('small');
  const address = await app.listen({ host: '127.0.0.1', port });
  return {
    url: options.localhost ? config.baseUrl : address,
    adminEmail,
    adminPassword,
    services: app.services,
    async close() {
      await app.close();
      await db.cleanup();
    },
  };
}
