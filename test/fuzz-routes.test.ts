import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../src/server/lib/auth.ts';
import { ProblemSchema } from '../src/shared/common/common.schemas.ts';
import { ROLES } from '../src/shared/permissions.ts';
import { buildTestApp, type TestApp } from './build-test-app.ts';
import { makeOffice, makeUser, signIn } from './factories.ts';
import { makeIncidentRow, makeInvestigationRecords } from './incident-investigation-fixtures.ts';
import { testEngines } from './test-db.ts';
import { recordVerification } from './verification.ts';

/**
 * Hostile input on every route, as every role (quick profile; issue #7 grows it): random and
 * half-valid path parameters, query strings and bodies. Whatever comes in, the answer is never a 5xx,
 * every rejection is a problem document, and every success matches the route's declared schema.
 */
const RUNS = Number(process.env.OUTPOST_FUZZ_RUNS ?? 12);

describe.each(testEngines())('hostile input on every route on %s', (engine) => {
  let t: TestApp;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await buildTestApp(engine);
    const office = await makeOffice(t.services, { code: 'FZZ' });
    ids.office = office.id;
    ids.site = (
      await t.services.sites.create(systemCtx, office.id, { name: 'Fuzz site', kind: 'other', country: 'GE' })
    ).id;
    const task = await t.services.tasks.create(systemCtx, {
      officeId: office.id,
      title: 'Fuzz task',
      dueAt: '2026-12-01T09:00:00.000Z',
      recurrence: { rrule: 'FREQ=WEEKLY' },
    });
    ids.task = task.id;
    ids.series = task.seriesId ?? '';
    ids.attachment = (
      await t.services.attachments.upload(systemCtx, { entityType: 'site', entityId: ids.site }, (consume) =>
        consume({ filename: 'fuzz.txt', stream: Readable.from([Buffer.from('fuzz')]), isTruncated: () => false }),
      )
    ).id;
    ids.template = (
      await t.services.checklists.createTemplate(systemCtx, office.id, {
        name: 'Fuzz checklist',
        items: [{ id: 'item', label: 'Fuzz item', type: 'number', min: 1, max: 5 }],
      })
    ).id;
    ids.run = (await t.services.checklists.startRun(systemCtx, office.id, { templateId: ids.template })).id;
    // Incident investigation: a real incident and one record of each kind, so fuzzed ids sometimes hit them.
    ids.incident = await makeIncidentRow(t.db.database.db, office.id);
    Object.assign(ids, await makeInvestigationRecords(t.services, ids.incident, ids.site));
  });
  afterAll(() => t.close());

  const naughty = fc.oneof(
    fc.string(),
    fc.constantFrom(
      "' OR 1=1 --",
      '<script>alert(1)</script>',
      '../../etc/passwd',
      '%00',
      '\u0000',
      '𝕳𝖊𝖑𝖑𝖔',
      'null',
      '-1',
      '1e309',
      'NaN',
      '{}',
      '[]',
      ' ',
    ),
  );
  const pathValue = fc.oneof(
    fc
      .constantFrom(
        () => ids.office,
        () => ids.site,
        () => ids.task,
        () => ids.series,
        () => ids.attachment,
        () => ids.template,
        () => ids.run,
        () => ids.incident,
        () => ids.timelineEntry,
        () => ids.evidence,
        () => ids.communication,
        () => ids.link,
      )
      .map((f) => f() ?? ''),
    fc.uuid(),
    naughty,
  );
  const jsonValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), naughty);
  const body = fc.oneof(
    fc.dictionary(
      fc.constantFrom(
        'name',
        'code',
        'email',
        'password',
        'version',
        'countries',
        'timezone',
        'kind',
        'country',
        'latitude',
        'longitude',
        'code',
        'token',
        'newPassword',
        'currentPassword',
        'credential',
        'mfaRequiredRoles',
        'scope',
        'expiresDays',
        'title',
        'status',
        'dueAt',
        'ownerUserId',
        'priority',
        'subject',
        'recurrence',
        'ids',
        'action',
        'body',
        'value',
        'na',
        'note',
        'items',
        'templateId',
        'siteId',
        'location',
        'performedBy',
        'startedAt',
        'nameFr',
        'description',
        'occurredAt',
        'source',
        'label',
        'acquiredAt',
        'sha256',
        'attachmentId',
        'recipient',
        'channel',
        'summary',
        'acknowledged',
        'targetType',
        'targetId',
        'relation',
        'to',
        'purpose',
      ),
      jsonValue,
    ),
    fc.jsonValue({ maxDepth: 3 }),
  );
  const query = fc.dictionary(
    fc.constantFrom(
      'limit',
      'cursor',
      'sort',
      'q',
      'country',
      'kind',
      'version',
      'officeId',
      'from',
      'to',
      'returnTo',
      'code',
      'state',
      'status',
      'overdue',
      'dueBefore',
      'ownerUserId',
      'subjectType',
      'seriesId',
      'entityType',
      'entityId',
      'templateVersion',
      'templateId',
      'siteId',
    ),
    naughty,
  );

  it('never answers 5xx, always problem documents for rejections, schema-true successes', async () => {
    const routes = t.app.routeTable.filter((r) => r.contract && r.url.startsWith('/api/'));
    expect(routes.length).toBeGreaterThan(30);
    const failures: string[] = [];
    let sent = 0;
    let fiveHundreds = 0;
    for (const role of [...ROLES, null]) {
      for (const r of routes) {
        const contract = r.contract;
        if (!contract) continue;
        // A fresh session per route: a route that signs out must not starve the next one.
        const headers: Record<string, string> = {};
        if (role) {
          const user = await makeUser(t.services, role, ['FZZ']);
          Object.assign(headers, await signIn(t, user.email));
        }
        await fc.assert(
          fc.asyncProperty(
            fc.tuple(pathValue, pathValue),
            query,
            body,
            fc.boolean(),
            async ([p1, p2], q, b, sendBody) => {
              const url = r.url
                .replace(':officeId', encodeURIComponent(p1))
                .replace(':id', encodeURIComponent(p2))
                .replace(/:(entryId|evidenceId|commId|linkId)/, encodeURIComponent(p2));
              const res = await t.app.inject({
                method: r.method as 'GET',
                url,
                query: q,
                headers,
                ...(sendBody && r.method !== 'GET' ? { payload: b as object } : {}),
              });
              const where = `${role ?? 'anonymous'} ${r.method} ${url} → ${res.statusCode}`;
              sent++;
              if (res.statusCode >= 500) fiveHundreds++;
              if (res.statusCode >= 500) failures.push(`${where}: ${res.body.slice(0, 200)}`);
              else if (res.statusCode >= 400) {
                const ok =
                  res.headers['content-type']?.includes('application/problem+json') &&
                  ProblemSchema.safeParse(res.json()).success;
                if (!ok) failures.push(`${where}: not a problem document`);
              } else if (res.statusCode === 200 && res.headers['content-type']?.includes('application/json')) {
                const parsed = contract.response.safeParse(res.json());
                if (!parsed.success) failures.push(`${where}: response does not match its schema`);
              }
              return true;
            },
          ),
          { numRuns: RUNS, seed: 2026 },
        );
      }
    }
    recordVerification({
      key: `2-fuzz-${engine}`,
      check: `hostile input on ${engine}: fast-check over ${routes.length} routes × ${ROLES.length + 1} roles (incl. anonymous)`,
      measured: `${sent} requests; ${fiveHundreds} answered 5xx; ${failures.length} failures in all`,
      requirement: '5xx = 0; rejections are problem documents; successes match their schema',
      ok: failures.length === 0,
    });
    expect(failures.slice(0, 20)).toEqual([]);
  }, 300_000);
});
