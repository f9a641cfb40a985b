import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_INFRASTRUCTURE } from '../src/server/app.ts';
import { renderPermissionMatrix } from '../src/server/docs.ts';
import { systemCtx } from '../src/server/lib/auth.ts';
import { ROLES, type Role, roleCan } from '../src/shared/permissions.ts';
import { buildTestApp, type TestApp } from './build-test-app.ts';
import { makeOffice, signedInAs } from './factories.ts';
import { makeIncidentRow, makeInvestigationRecords } from './incident-investigation-fixtures.ts';

/** Every route, every role: what the matrix says is what the server does. */
describe('permission matrix', () => {
  let t: TestApp;
  const sessions = new Map<string, { cookie: string }>();
  let officeId: string;
  const own = { office: '', site: '', task: '', series: '', attachment: '', template: '', run: '' };
  const other = { office: '', site: '', task: '', series: '', attachment: '', template: '', run: '' };
  // Incident investigation (issue #5): an incident per office and one record of each investigation kind.
  const investigation: Record<'own' | 'other', Record<string, string>> = { own: {}, other: {} };
  // Incident core (issue #5): an involved person on each office's incident, and an office category.
  const incidentCore: Record<'own' | 'other', Record<string, string>> = { own: {}, other: {} };

  beforeAll(async () => {
    t = await buildTestApp('sqlite');
    const office = await makeOffice(t.services, { code: 'PMX' });
    officeId = office.id;
    own.office = office.id;
    own.site = (
      await t.services.sites.create(systemCtx, office.id, { name: 'Own site', kind: 'other', country: 'GE' })
    ).id;
    other.office = (await makeOffice(t.services, { code: 'PMY' })).id;
    other.site = (
      await t.services.sites.create(systemCtx, other.office, { name: 'Other site', kind: 'other', country: 'GE' })
    ).id;
    const userIds = new Map<string, string>();
    for (const role of ROLES) {
      const signed = await signedInAs(t, role, ['PMX']);
      sessions.set(role, signed.headers);
      userIds.set(role, signed.user.id);
    }
    // Tasks: the own office's task (and series) is the staff member's, who sees only their own tasks.
    const recurring = { dueAt: '2026-12-01T09:00:00.000Z', recurrence: { rrule: 'FREQ=WEEKLY' } };
    const ownTask = await t.services.tasks.create(systemCtx, {
      officeId: own.office,
      title: 'Own task',
      ownerUserId: userIds.get('staff') ?? null,
      ...recurring,
    });
    own.task = ownTask.id;
    own.series = ownTask.seriesId ?? '';
    const otherTask = await t.services.tasks.create(systemCtx, {
      officeId: other.office,
      title: 'Other task',
      ...recurring,
    });
    other.task = otherTask.id;
    other.series = otherTask.seriesId ?? '';
    // Attachments (a PNG, so it has a thumbnail) and checklists: one of each per office.
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: 'gray' } })
      .png()
      .toBuffer();
    for (const ids of [own, other]) {
      ids.attachment = (
        await t.services.attachments.upload(systemCtx, { entityType: 'site', entityId: ids.site }, (consume) =>
          consume({ filename: 'matrix.png', stream: Readable.from([png]), isTruncated: () => false }),
        )
      ).id;
      ids.template = (
        await t.services.checklists.createTemplate(systemCtx, ids.office, {
          name: 'Matrix checklist',
          items: [{ id: 'item', label: 'Matrix item', type: 'yes_no_na', required: true }],
        })
      ).id;
      ids.run = (await t.services.checklists.startRun(systemCtx, ids.office, { templateId: ids.template })).id;
    }
    for (const [where, ids] of [
      ['own', own],
      ['other', other],
    ] as const) {
      const incident = await makeIncidentRow(t.db.database.db, ids.office);
      investigation[where] = { incident, ...(await makeInvestigationRecords(t.services, incident, ids.site)) };
    }
    for (const [where, ids] of [
      ['own', own],
      ['other', other],
    ] as const) {
      const incident = investigation[where].incident ?? '';
      incidentCore[where] = {
        person: (await t.services.incidents.addPerson(systemCtx, incident, { role: 'witness', name: 'Matrix' })).id,
        category: (
          await t.services.incidents.categories.create(systemCtx, {
            officeId: ids.office,
            code: 'matrix:category',
            label: 'Matrix',
            labelFr: 'Matrice',
            domain: 'mixed',
          })
        ).id,
      };
    }
  });
  afterAll(() => t.close());

  it('every API route declares a permission (deny by default)', () => {
    const api = t.app.routeTable.filter((r) => r.url.startsWith('/api'));
    expect(api.length).toBeGreaterThan(15);
    const undeclared = api.filter(
      (r) => !r.contract && !PUBLIC_INFRASTRUCTURE.some((p) => r.url === p || r.url.startsWith(`${p}/`)),
    );
    expect(undeclared.map((r) => `${r.method} ${r.url}`)).toEqual([]);
    for (const r of api.filter((x) => x.url.startsWith('/api/v1'))) expect(r.contract, r.url).toBeDefined();
  });

  it('the committed docs/permissions.md is generated from the code (no drift)', () => {
    expect(readFileSync('docs/permissions.md', 'utf8')).toBe(renderPermissionMatrix(t.app.routeTable));
  });

  it('the committed docs/openapi.json is generated from the code (no drift)', () => {
    expect(JSON.parse(readFileSync('docs/openapi.json', 'utf8'))).toEqual(t.app.swagger());
  });

  it('without a session every protected route answers 401; with a role that lacks the permission, 403', async () => {
    const fill = (url: string) => url.replace(':officeId', officeId).replace(':id', officeId);
    for (const r of t.app.routeTable.filter((x) => x.contract && x.url.startsWith('/api/v1'))) {
      const c = r.contract;
      if (!c || c.permission === 'public') continue;
      const anon = await t.app.inject({ method: r.method as 'GET', url: fill(r.url) });
      expect(anon.statusCode, `${r.method} ${r.url} anonymous`).toBe(401);
      if (c.permission === 'authenticated') continue;
      for (const role of ROLES) {
        if (roleCan(role, c.permission)) continue;
        const res = await t.app.inject({ method: r.method as 'GET', url: fill(r.url), headers: sessions.get(role) });
        expect(res.statusCode, `${r.method} ${r.url} as ${role}`).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    }
  });

  it('every route × every role × own office / other office: allowed where the matrix says, 404 across offices', async () => {
    // A stale version: writes pass every check up to the version compare (409) and change nothing.
    const bodies: Record<string, object> = {
      updateOffice: { name: 'x', version: 999 },
      updateSite: { name: 'x', version: 999 },
      updateTask: { status: 'open', version: 999 },
      addTaskComment: { body: 'Matrix comment' },
      stopTaskSeries: { version: 999 },
      updateChecklistTemplate: { name: 'x', version: 999 },
      answerChecklistItem: { value: 'yes', version: 999 },
      completeChecklistRun: { version: 999 },
      createTaskFromChecklistItem: {},
      addIncidentTimelineEntry: { occurredAt: '2026-11-27T10:00:00.000Z', description: 'Matrix', source: 'officer' },
      updateIncidentTimelineEntry: { description: 'x', version: 999 },
      addIncidentEvidence: { label: 'Matrix', kind: 'physical', acquiredAt: '2026-11-27T10:00:00.000Z' },
      updateIncidentEvidence: { label: 'x', version: 999 },
      addIncidentEvidenceCustody: { to: 'Matrix', purpose: 'Matrix' },
      addIncidentCommunication: { recipient: 'Matrix', channel: 'phone', summary: 'Matrix' },
      updateIncidentCommunication: { note: 'x', version: 999 },
      addIncidentLink: { targetType: 'incident', targetId: '01900000-0000-7000-8000-000000000000' },
      applyIncidentTaskTemplate: {},
      updateIncident: { title: 'x', version: 999 },
      transitionIncident: { to: 'triaged', version: 999 },
      reviewIncident: { decision: 'approve', note: 'Matrix', version: 999 },
      setIncidentAccess: { userIds: [], version: 999 },
      addIncidentPerson: { role: 'witness', name: 'Matrix' },
      updateIncidentPerson: { name: 'x', version: 999 },
      updateIncidentCategory: { label: 'x', version: 999 },
    };
    // Finer than the route's permission, enforced by the service: a task's owner (task.self) changes its
    // status and comments on it; a reader without task.write (auditor) sees it but may not.
    const taskSelfWrite = (role: Role, where: 'own' | 'other') => {
      const owner = role === 'staff' && where === 'own';
      const sees = owner || (roleCan(role, 'task.read') && (where === 'own' || crossOfficeRoles.includes(role)));
      return !sees ? 'hidden-404' : owner || roleCan(role, 'task.write') ? 'allowed' : 'deny-403';
    };
    const refined: Record<string, (role: Role, where: 'own' | 'other') => string> = {
      updateTask: taskSelfWrite,
      addTaskComment: taskSelfWrite,
      // Staff (incident.report only) see their own reports, not the office's incident fixture.
      listIncidentTimeline: (role, where) =>
        role === 'staff' || (where === 'other' && !crossOfficeRoles.includes(role)) ? 'hidden-404' : 'allowed',
      getIncident: (role, where) =>
        role === 'staff' || (where === 'other' && !crossOfficeRoles.includes(role)) ? 'hidden-404' : 'allowed',
    };
    const crossOfficeRoles: Role[] = ['admin', 'hq_security', 'auditor'];
    const fillInvestigation = (url: string, inv: Record<string, string>) =>
      url
        .replace(/^\/api\/v1\/incidents\/:id\//, `/api/v1/incidents/${inv.incident}/`)
        .replace(':entryId', inv.timelineEntry ?? '')
        .replace(':evidenceId', inv.evidence ?? '')
        .replace(':commId', inv.communication ?? '')
        .replace(':linkId', inv.link ?? '');
    const fillIncidentCore = (url: string, where: 'own' | 'other') =>
      url
        .replace(/^\/api\/v1\/incidents\/:id$/, `/api/v1/incidents/${investigation[where].incident}`)
        .replace(':personId', incidentCore[where].person ?? '')
        .replace(
          /^\/api\/v1\/incident-categories\/:id$/,
          `/api/v1/incident-categories/${incidentCore[where].category}`,
        );
    const recordId = (url: string, ids: typeof own) =>
      url.startsWith('/api/v1/sites/')
        ? ids.site
        : url.startsWith('/api/v1/tasks/')
          ? ids.task
          : url.startsWith('/api/v1/task-series/')
            ? ids.series
            : url.startsWith('/api/v1/attachments/')
              ? ids.attachment
              : url.startsWith('/api/v1/checklist-templates/')
                ? ids.template
                : url.startsWith('/api/v1/checklist-runs/')
                  ? ids.run
                  : ids.office;
    const queries: Record<string, string> = {
      deleteOffice: '?version=999',
      deleteSite: '?version=999',
      deleteAttachment: '?version=999',
      deleteChecklistTemplate: '?version=999',
      deleteIncidentTimelineEntry: '?version=999',
      deleteIncidentPerson: '?version=999',
    };
    // Routes whose record is named in the query rather than the path.
    const recordQueries: Record<string, (ids: typeof own) => string> = {
      listAttachments: (ids) => `?entityType=site&entityId=${ids.site}`,
      uploadAttachment: (ids) => `?entityType=site&entityId=${ids.site}`,
    };
    const scoped = t.app.routeTable.filter((r) => r.contract?.officeFrom && r.url.startsWith('/api/v1'));
    expect(scoped.length).toBeGreaterThan(8);
    const table: string[] = [];
    for (const r of scoped) {
      const c = r.contract;
      if (!c || c.permission === 'public' || c.permission === 'authenticated') continue;
      for (const role of ROLES) {
        for (const [where, ids] of [
          ['own', own],
          ['other', other],
        ] as const) {
          const url =
            fillInvestigation(fillIncidentCore(r.url, where), investigation[where])
              .replace(':officeId', ids.office)
              .replace(':id', recordId(r.url, ids))
              .replace(':itemId', 'item') + (queries[c.operationId] ?? recordQueries[c.operationId]?.(ids) ?? '');
          const payload = bodies[c.operationId];
          const res = await t.app.inject({
            method: r.method as 'GET',
            url,
            headers: sessions.get(role),
            ...(payload ? { payload } : {}),
          });
          const may = roleCan(role, c.permission);
          const crossOffice = ['admin', 'hq_security', 'auditor'].includes(role);
          const expected =
            (may ? refined[c.operationId]?.(role, where) : undefined) ??
            (!may ? 'deny-403' : where === 'other' && !crossOffice ? 'hidden-404' : 'allowed');
          const got =
            res.statusCode === 403
              ? 'deny-403'
              : res.statusCode === 404
                ? 'hidden-404'
                : [401].includes(res.statusCode)
                  ? 'unauthenticated'
                  : 'allowed';
          table.push(`${r.method} ${r.url} ${role} ${where}: ${got}`);
          expect(
            got,
            `${r.method} ${url} as ${role} (${where} office) → ${res.statusCode} ${res.body.slice(0, 120)}`,
          ).toBe(expected);
        }
      }
    }
    expect(table.length).toBeGreaterThan(100);
  });

  it("keeps one user out of another's account, sessions and tokens", async () => {
    const staff = sessions.get('staff');
    expect((await t.app.inject({ url: '/api/v1/users', headers: staff })).statusCode).toBe(403);
    const admin = sessions.get('admin');
    const made = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: admin,
        payload: { name: 'admin only' },
      })
    ).json();
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${made.apiToken.id}`, headers: staff }))
        .statusCode,
    ).toBe(404);
    const mine = (await t.app.inject({ url: '/api/v1/auth/tokens', headers: staff })).json();
    expect(mine.items.map((i: { id: string }) => i.id)).not.toContain(made.apiToken.id);
    // Still alive: the staff member's attempt changed nothing.
    expect(
      (await t.app.inject({ url: '/api/v1/offices', headers: { authorization: `Bearer ${made.token}` } })).statusCode,
    ).toBe(200);
  });
});
