import type { Config } from './config.ts';
import type { OutpostDatabase } from './db/database.ts';
import { canSeeOffice } from './lib/auth.ts';
import type { Clock } from './lib/clock.ts';
import { noopNotifier, noopSearchIndexer } from './lib/ports.ts';
import { createRecordLinks } from './lib/record-links.ts';
import { createSecretBox, loadSecretKey } from './lib/secrets.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { createAuthService } from './modules/auth/auth.service.ts';
import { createOfficeService } from './modules/offices/offices.service.ts';
import { createPasskeyService } from './modules/passkeys/passkeys.service.ts';
import { createPeopleService } from './modules/people/people.service.ts';
import { createSiteService } from './modules/sites/sites.service.ts';
import { createSsoService } from './modules/sso/sso.service.ts';
import { createSystemService } from './modules/system/system.service.ts';
import { createTransferService } from './modules/transfer/transfer.service.ts';
import { createUserService } from './modules/users/users.service.ts';

/** The composition root: one plain function wiring repositories into services. The server and the CLI both use it. */
export function createServices(deps: { database: OutpostDatabase; clock: Clock; config: Config }) {
  const { db, dialect } = deps.database;
  const { clock } = deps;
  const audit = createAuditService({ db, dialect, clock });
  // The building blocks' seams (lib/ports.ts, ADR 0010).
  const links = createRecordLinks();
  const notifier = noopNotifier;
  const searchIndexer = noopSearchIndexer;
  const offices = createOfficeService({ db, clock, audit });
  const sites = createSiteService({ db, clock, audit, offices });
  const users = createUserService({ db, clock, audit, offices, baseUrl: deps.config.baseUrl });
  const people = createPeopleService({ db, clock, audit, offices });
  const system = createSystemService({ db, dialect });
  const secrets = createSecretBox(loadSecretKey(deps.config.dataDir, deps.config.OUTPOST_SECRET_KEY));
  const auth = createAuthService({
    db,
    clock,
    audit,
    users,
    system,
    secrets,
    sessions: { idleMinutes: deps.config.SESSION_IDLE_MINUTES, maxHours: deps.config.SESSION_MAX_HOURS },
  });
  const passkeys = createPasskeyService({ db, clock, audit, auth, config: deps.config });
  const sso = createSsoService({ config: deps.config, clock, secrets, audit, auth, users, db });
  const transfer = createTransferService({ db, dialect, clock, audit });

  links.register('office', {
    resolve: async (_ex, ctx, id) => {
      const o = await offices.get(ctx, id);
      return { entityType: 'office', entityId: o.id, officeId: o.id, title: `${o.code} — ${o.name}` };
    },
    canWrite: (ctx, r) => r.officeId !== null && canSeeOffice(ctx, r.officeId),
  });
  links.register('site', {
    resolve: async (_ex, ctx, id) => {
      const site = await sites.get(ctx, id);
      return { entityType: 'site', entityId: site.id, officeId: site.officeId, title: site.name };
    },
    canWrite: (ctx, r) => r.officeId !== null && canSeeOffice(ctx, r.officeId),
  });
  return {
    audit,
    links,
    notifier,
    searchIndexer,
    offices,
    sites,
    people,
    users,
    auth,
    passkeys,
    sso,
    system,
    transfer,
  };
}

export type Services = ReturnType<typeof createServices>;
