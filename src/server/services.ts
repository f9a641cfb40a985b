import type { Config } from './config.ts';
import type { OutpostDatabase } from './db/database.ts';
import { canSeeOffice } from './lib/auth.ts';
import type { Clock } from './lib/clock.ts';
import { type Logger, silentLogger } from './lib/logger.ts';
import { createRecordLinks } from './lib/record-links.ts';
import { createSecretBox, loadSecretKey } from './lib/secrets.ts';
import { commandScanner } from './modules/attachments/attachments.files.ts';
import { createAttachmentService } from './modules/attachments/attachments.service.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { createAuthService } from './modules/auth/auth.service.ts';
import { createCalendarService } from './modules/calendar/calendar.service.ts';
import { createChecklistService } from './modules/checklists/checklists.service.ts';
import { createEscalationService } from './modules/incidents/escalation.service.ts';
import { createIncidentAccess } from './modules/incidents/incidents.access.ts';
import { createIncidentService } from './modules/incidents/incidents.service.ts';
import { createInvestigationService } from './modules/incidents/investigation.service.ts';
import { createReportService } from './modules/incidents/reports.service.ts';
import { createNotificationService } from './modules/notifications/notifications.service.ts';
import { createOfficeService } from './modules/offices/offices.service.ts';
import { createPasskeyService } from './modules/passkeys/passkeys.service.ts';
import { createPeopleService } from './modules/people/people.service.ts';
import { createScheduler, outboxCron } from './modules/scheduler/scheduler.service.ts';
import { createSearchService } from './modules/search/search.service.ts';
import { createSiteService } from './modules/sites/sites.service.ts';
import { createSsoService } from './modules/sso/sso.service.ts';
import { createSystemService } from './modules/system/system.service.ts';
import { createTaskService } from './modules/tasks/tasks.service.ts';
import { createTransferService } from './modules/transfer/transfer.service.ts';
import { createUserService } from './modules/users/users.service.ts';

/** The composition root: one plain function wiring repositories into services. The server and the CLI both use it. */
export function createServices(deps: { database: OutpostDatabase; clock: Clock; config: Config; logger?: Logger }) {
  const { db, dialect } = deps.database;
  const { clock } = deps;
  const audit = createAuditService({ db, dialect, clock });
  // The building blocks' seams (lib/ports.ts, ADR 0010).
  const links = createRecordLinks();
  const secrets = createSecretBox(loadSecretKey(deps.config.dataDir, deps.config.OUTPOST_SECRET_KEY));
  const logger = deps.logger ?? silentLogger;
  const notifications = createNotificationService({ db, clock, audit, secrets, logger, settings: deps.config });
  const notifier = notifications.notifier;
  // Jobs run only once start() is called (the server process, main.ts); other modules register theirs below.
  const scheduler = createScheduler({ database: deps.database, logger, clock });
  scheduler.register({
    name: 'notifications.outbox',
    cron: outboxCron(deps.config.OUTBOX_POLL_SECONDS),
    run: async (now) => {
      await notifications.deliverOutbox(now);
    },
  });
  scheduler.register({
    name: 'notifications.digest',
    cron: '0 6 * * *',
    run: async (now) => {
      await notifications.runDigest(now);
    },
  });
  notifications.onQueued(() => scheduler.trigger('notifications.outbox'));
  const search = createSearchService({ db, dialect });
  const searchIndexer = search.indexer;
  const offices = createOfficeService({ db, clock, audit, searchIndexer });
  const sites = createSiteService({ db, clock, audit, offices, searchIndexer });
  search.registerSource({ entityType: 'office', documents: (ex) => offices.searchDocuments(ex) });
  search.registerSource({ entityType: 'site', documents: (ex) => sites.searchDocuments(ex) });
  const users = createUserService({ db, clock, audit, offices, baseUrl: deps.config.baseUrl });
  const people = createPeopleService({ db, clock, audit, offices });
  const system = createSystemService({ db, dialect });
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
  const attachments = createAttachmentService({
    db,
    clock,
    audit,
    links,
    dataDir: deps.config.dataDir,
    maxBytes: deps.config.ATTACHMENT_MAX_BYTES,
    ...(deps.config.ATTACHMENT_SCAN_COMMAND ? { scanner: commandScanner(deps.config.ATTACHMENT_SCAN_COMMAND) } : {}),
  });

  const tasks = createTaskService({ db, clock, audit, links, notifier, searchIndexer });
  links.register('task', tasks.linkResolver);
  search.registerSource({ entityType: 'task', documents: (ex) => tasks.searchDocuments(ex) });
  scheduler.register({
    name: 'tasks.reminders',
    cron: '*/5 * * * *',
    run: async (now) => {
      await tasks.runReminders(now);
    },
  });
  scheduler.register({
    name: 'tasks.recurrence',
    cron: '*/5 * * * *',
    run: async (now) => {
      await tasks.runRecurrence(now);
    },
  });
  const calendar = createCalendarService({
    db,
    clock,
    audit,
    baseUrl: deps.config.baseUrl,
    isActiveUser: async (id) => {
      const u = await users.accounts.byId(id);
      return !!u && u.is_disabled === 0;
    },
  });
  calendar.registerSource(tasks.calendarSource);
  const checklists = createChecklistService({
    db,
    clock,
    audit,
    links,
    searchIndexer,
    tasks,
    attachments,
    notifier,
    responsibleFor: (ex, officeId) => users.accounts.inOfficeWithRoles(ex, officeId, ['security_officer']),
  });
  links.register('checklist_run', checklists.runResolver);
  search.registerSource({
    entityType: 'checklist_template',
    documents: (ex) => checklists.templateSearchDocuments(ex),
  });
  search.registerSource({ entityType: 'checklist_run', documents: (ex) => checklists.runSearchDocuments(ex) });

  // Incidents (issue #5): the core record; escalation, investigation and reports plug into it.
  const incidents = createIncidentService({
    db,
    clock,
    audit,
    notifier,
    searchIndexer,
    access: createIncidentAccess(),
    responsibleFor: (ex, officeId) => users.accounts.inOfficeWithRoles(ex, officeId, ['security_officer']),
  });
  links.register('incident', incidents.linkResolver);
  search.registerSource({ entityType: 'incident', documents: (ex) => incidents.searchDocuments(ex) });

  // Escalation (issue #5): the matrix's timers start in the incident's own transaction; a job escalates overdue steps.
  const escalation = createEscalationService({
    db,
    clock,
    audit,
    notifier,
    access: incidents.access,
    markHq: (ex, id, field, at) => incidents.markHq(ex, id, field, at),
    users: users.accounts,
  });
  incidents.onChange(escalation.onIncidentChange);
  scheduler.register({
    name: 'incidents.escalations',
    cron: '* * * * *',
    run: async (now) => {
      await escalation.runEscalations(now);
    },
  });

  // Incident investigation (issue #5): timeline, evidence and custody, communications, links, task templates.
  const investigation = createInvestigationService({
    db,
    clock,
    audit,
    access: incidents.access,
    links,
    tasks,
    attachments,
  });

  // Incident reports and exports (issue #5): PDF/DOCX report, staff advisory, statistics, STIX/MISP/AWSD.
  const incidentReports = createReportService({ db, clock, audit, access: incidents.access });

  links.register('office', {
    resolve: async (ex, ctx, id) => {
      const o = await offices.get(ctx, id, ex);
      return { entityType: 'office', entityId: o.id, officeId: o.id, title: `${o.code} — ${o.name}` };
    },
    canWrite: (ctx, r) => r.officeId !== null && canSeeOffice(ctx, r.officeId),
  });
  links.register('site', {
    resolve: async (ex, ctx, id) => {
      const site = await sites.get(ctx, id, ex);
      return { entityType: 'site', entityId: site.id, officeId: site.officeId, title: site.name };
    },
    canWrite: (ctx, r) => r.officeId !== null && canSeeOffice(ctx, r.officeId),
  });
  return {
    audit,
    links,
    notifier,
    notifications,
    scheduler,
    searchIndexer,
    search,
    offices,
    sites,
    people,
    users,
    auth,
    passkeys,
    sso,
    system,
    transfer,
    tasks,
    calendar,
    attachments,
    checklists,
    incidents,
    escalation,
    investigation,
    incidentReports,
  };
}

export type Services = ReturnType<typeof createServices>;
