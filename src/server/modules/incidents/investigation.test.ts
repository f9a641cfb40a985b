import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_START, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, signedInAs } from '../../../../test/factories.ts';
import { makeIncidentRow, makeInvestigationRecords } from '../../../../test/incident-investigation-fixtures.ts';
import { testDatabase, testEngines } from '../../../../test/test-db.ts';
import type { IncidentsTable } from '../../db/tables/incidents.ts';
import { systemCtx } from '../../lib/auth.ts';
import { systemClock } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { createBackupService } from '../backup/backup.service.ts';
import { createIncidentAccess } from './incidents.access.ts';

type Headers = { cookie: string };
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const HOUR = 3_600_000;
const at = (hoursFromStart: number) => new Date(Date.parse(TEST_START) + hoursFromStart * HOUR).toISOString();

describe.each(testEngines())('incident investigation on %s', (engine) => {
  let t: TestApp;
  let officeId: string;
  let otherOfficeId: string;
  let siteId: string;
  let officer: { headers: Headers; user: { id: string } };
  let reporter: { headers: Headers; user: { id: string } };
  let otherStaff: Headers;
  let head: Headers;
  let hq: Headers;
  let admin: Headers;
  let auditor: Headers;
  let outsider: Headers;

  /** An incident row as the core module would write it (the investigation only reads it). */
  const makeIncident = (office: string, overrides: Partial<Insertable<IncidentsTable>> = {}) =>
    makeIncidentRow(t.db.database.db, office, overrides);

  beforeAll(async () => {
    t = await buildTestApp(engine);
    // The core module registers the `incident` record type; until it is in the tree, the same rule stands in.
    if (!t.services.links.types().includes('incident')) {
      const access = createIncidentAccess();
      t.services.links.register('incident', {
        async resolve(ex, ctx, id) {
          const r = await access.require(ex, ctx, id, 'read');
          return { entityType: 'incident', entityId: r.id, officeId: r.office_id, title: r.reference };
        },
        canWrite: () => true,
      });
    }
    officeId = (await makeOffice(t.services, { code: 'INV' })).id;
    otherOfficeId = (await makeOffice(t.services, { code: 'INX' })).id;
    siteId = (await t.services.sites.create(systemCtx, officeId, { name: 'Main office', kind: 'other', country: 'GE' }))
      .id;
    officer = await signedInAs(t, 'security_officer', ['INV']);
    reporter = await signedInAs(t, 'staff', ['INV']);
    otherStaff = (await signedInAs(t, 'staff', ['INV'])).headers;
    head = (await signedInAs(t, 'head_of_office', ['INV'])).headers;
    hq = (await signedInAs(t, 'hq_security')).headers;
    admin = (await signedInAs(t, 'admin')).headers;
    auditor = (await signedInAs(t, 'auditor')).headers;
    outsider = (await signedInAs(t, 'security_officer', ['INX'])).headers;
  });
  afterAll(() => t.close());

  const call = (method: Method, url: string, headers: Headers, payload?: object) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  async function auditOf(entityId: string) {
    const rows = await t.db.database.db
      .selectFrom('audit_log')
      .select(['action', 'entity_type', 'changes', 'office_id'])
      .where('entity_id', '=', entityId)
      .orderBy('seq')
      .execute();
    return rows;
  }

  function expectProblem(res: { statusCode: number; headers: Record<string, unknown> }, status: number) {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
  }

  describe('through the core incident routes', () => {
    /** A multipart body, as a browser sends a file. */
    function multipart(filename: string, data: string) {
      const boundary = `----outpost${Math.random().toString(36).slice(2)}`;
      const payload = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n\r\n${data}\r\n--${boundary}--\r\n`,
      );
      return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
    }

    it('a staff quick report: the officer investigates, the reporter follows the timeline only', async () => {
      const quick = await call('POST', `/api/v1/offices/${officeId}/incidents/quick-report`, reporter.headers, {
        clientKey: newId(),
        what: 'Someone tried the back door of the office during the night',
        where: 'Back door, ground floor',
        when: at(-10),
        anyoneHurt: false,
        helpNeeded: '',
      });
      expect(quick.statusCode, quick.body).toBe(201);
      const incidentId = quick.json().id as string;

      const event = await call('POST', `/api/v1/incidents/${incidentId}/timeline`, officer.headers, {
        occurredAt: at(-10),
        precision: 'approximate',
        description: 'Scratches on the back door lock',
        source: 'staff_report',
      });
      expect(event.statusCode, event.body).toBe(201);

      const body = multipart('lock.txt', `Photo notes of the lock ${incidentId}`);
      const file = await t.app.inject({
        method: 'POST',
        url: `/api/v1/attachments?entityType=incident&entityId=${incidentId}`,
        headers: { ...officer.headers, ...body.headers },
        payload: body.payload,
      });
      expect(file.statusCode, file.body).toBe(201);
      const evidence = await call('POST', `/api/v1/incidents/${incidentId}/evidence`, officer.headers, {
        label: 'Notes on the lock',
        kind: 'document',
        acquiredAt: at(-1),
        attachmentId: file.json().id,
      });
      expect(evidence.statusCode, evidence.body).toBe(201);
      expect(evidence.json().integrity.status).toBe('verified');

      // The reporter follows their report's timeline; evidence is for the investigators.
      const followed = await call('GET', `/api/v1/incidents/${incidentId}/timeline`, reporter.headers);
      expect(followed.statusCode).toBe(200);
      expect(followed.json().items.map((e: { description: string }) => e.description)).toEqual([
        'Scratches on the back door lock',
      ]);
      expectProblem(await call('GET', `/api/v1/incidents/${incidentId}/evidence`, reporter.headers), 403);
      // Another staff member does not know it exists.
      expectProblem(await call('GET', `/api/v1/incidents/${incidentId}/timeline`, otherStaff), 404);
    });
  });

  describe('timeline', () => {
    it('keeps events in the order they happened, edits with the version, removes softly — all audited', async () => {
      const incidentId = await makeIncident(officeId, { reporter_user_id: reporter.user.id });
      const url = `/api/v1/incidents/${incidentId}/timeline`;
      const later = await call('POST', url, officer.headers, {
        occurredAt: '2026-11-27T22:15:00+04:00',
        precision: 'approximate',
        description: 'Guard sees a person at the back gate',
        source: 'witness',
        sourceDetail: 'Night guard',
      });
      expect(later.statusCode, later.body).toBe(201);
      expect(later.json()).toMatchObject({
        occurredAt: '2026-11-27T18:15:00.000Z',
        precision: 'approximate',
        source: 'witness',
        createdBy: officer.user.id,
        version: 1,
      });
      const earlier = await call('POST', url, officer.headers, {
        occurredAt: '2026-11-27T17:58:00Z',
        description: 'Camera 3 records the gate opening',
        source: 'cctv',
      });
      expect(earlier.statusCode, earlier.body).toBe(201);
      expect(earlier.json().precision).toBe('exact');

      const list = await call('GET', url, officer.headers);
      expect(list.statusCode).toBe(200);
      expect(list.json().items.map((e: { source: string }) => e.source)).toEqual(['cctv', 'witness']);
      // Paging keeps the order.
      const p1 = (await call('GET', `${url}?limit=1`, officer.headers)).json();
      expect(p1.items).toHaveLength(1);
      const p2 = (await call('GET', `${url}?limit=1&cursor=${p1.nextCursor}`, officer.headers)).json();
      expect(p2.items[0].source).toBe('witness');

      const entry = later.json();
      const edited = await call('PATCH', `/api/v1/incident-timeline/${entry.id}`, officer.headers, {
        description: 'Guard sees two people at the back gate',
        version: 1,
      });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(edited.json()).toMatchObject({ description: 'Guard sees two people at the back gate', version: 2 });
      const stale = await call('PATCH', `/api/v1/incident-timeline/${entry.id}`, officer.headers, {
        description: 'Stale',
        version: 1,
      });
      expectProblem(stale, 409);
      expect(stale.json().currentVersion).toBe(2);

      const staleDelete = await call('DELETE', `/api/v1/incident-timeline/${entry.id}?version=1`, officer.headers);
      expectProblem(staleDelete, 409);
      const removed = await call('DELETE', `/api/v1/incident-timeline/${entry.id}?version=2`, officer.headers);
      expect(removed.statusCode, removed.body).toBe(204);
      expect((await call('GET', url, officer.headers)).json().items).toHaveLength(1);
      expect(
        (await call('DELETE', `/api/v1/incident-timeline/${entry.id}?version=3`, officer.headers)).statusCode,
      ).toBe(404);
      // Soft: the row stays, hidden, and the audit trail tells the whole story.
      const row = await t.db.database.db
        .selectFrom('incident_timeline')
        .selectAll()
        .where('id', '=', entry.id)
        .executeTakeFirstOrThrow();
      expect(row.deleted_at).not.toBeNull();
      expect(row.deleted_by).toBe(officer.user.id);
      const trail = await auditOf(entry.id);
      expect(trail.map((a) => a.action)).toEqual([
        'incident_timeline.create',
        'incident_timeline.update',
        'incident_timeline.delete',
      ]);
      expect(trail.every((a) => a.office_id === officeId && a.entity_type === 'incident_timeline')).toBe(true);
      expect(JSON.parse(trail[2]?.changes ?? '{}').description).toBe('Guard sees two people at the back gate');
    });

    it('is read by whoever sees the incident (its reporter too), changed only with write access', async () => {
      const incidentId = await makeIncident(officeId, { reporter_user_id: reporter.user.id });
      const url = `/api/v1/incidents/${incidentId}/timeline`;
      const add = await call('POST', url, officer.headers, {
        occurredAt: at(-2),
        description: 'Report received',
        source: 'staff_report',
      });
      expect(add.statusCode).toBe(201);
      for (const [who, headers] of [
        ['reporter', reporter.headers],
        ['head of office', head],
        ['hq', hq],
        ['admin', admin],
      ] as const) {
        const res = await call('GET', url, headers);
        expect(res.statusCode, who).toBe(200);
        expect(res.json().items, who).toHaveLength(1);
      }
      // Notes for the investigators only stay with them.
      const internal = await call('POST', url, officer.headers, {
        occurredAt: at(-1),
        description: 'Witness statement: the neighbour saw a blue car',
        source: 'witness',
        sourceDetail: 'Neighbour, flat 3',
        internal: true,
      });
      expect(internal.json().internal).toBe(true);
      expect((await call('GET', url, reporter.headers)).json().items).toHaveLength(1);
      for (const headers of [officer.headers, head, hq])
        expect((await call('GET', url, headers)).json().items).toHaveLength(2);
      // Like the incident itself, the timeline is read with incident.report (auditors have incident.read only).
      expectProblem(await call('GET', url, auditor), 403);
      // Someone else's report, another office: it does not exist for them.
      expectProblem(await call('GET', url, otherStaff), 404);
      expectProblem(await call('GET', url, outsider), 404);
      // Seeing is not changing.
      const entry = { occurredAt: at(-1), description: 'x', source: 'officer' };
      expectProblem(await call('POST', url, reporter.headers, entry), 403);
      expectProblem(await call('POST', url, head, entry), 403);
      expectProblem(await call('POST', url, auditor, entry), 403);
      expectProblem(await call('POST', url, outsider, entry), 404);
      expectProblem(
        await call('PATCH', `/api/v1/incident-timeline/${add.json().id}`, outsider, { description: 'x', version: 1 }),
        404,
      );
      expect((await call('POST', url, hq, entry)).statusCode).toBe(201);
    });

    it('hides a sensitive incident’s timeline from everyone not named on it, administrators included', async () => {
      const incidentId = await makeIncident(officeId, {
        sensitive: 1,
        category: 'safety:sexual_violence',
        owner_user_id: officer.user.id,
      });
      const url = `/api/v1/incidents/${incidentId}/timeline`;
      expect((await call('GET', url, officer.headers)).statusCode).toBe(200);
      for (const headers of [admin, hq, head, otherStaff]) expectProblem(await call('GET', url, headers), 404);
      expectProblem(await call('POST', url, admin, { occurredAt: at(-1), description: 'x', source: 'officer' }), 404);
    });

    it('refuses hostile and impossible input with problem documents', async () => {
      const incidentId = await makeIncident(officeId);
      const url = `/api/v1/incidents/${incidentId}/timeline`;
      const bad = [
        {},
        { occurredAt: at(-1), description: '   ', source: 'cctv' },
        { occurredAt: at(-1), description: 'x'.repeat(5001), source: 'cctv' },
        { occurredAt: at(-1), description: 'x', source: 'rumour' },
        { occurredAt: 'yesterday', description: 'x', source: 'cctv' },
        { occurredAt: '2026-11-27T10:00:00', description: 'x', source: 'cctv' },
        { occurredAt: at(2), description: 'In the future', source: 'cctv' },
        { occurredAt: '1900-01-01T00:00:00Z', description: 'x', source: 'cctv' },
        { occurredAt: at(-1), description: 'x', source: 'cctv', extra: 1 },
      ];
      for (const body of bad) expectProblem(await call('POST', url, officer.headers, body), 400);
      expectProblem(await call('GET', `/api/v1/incidents/not-a-uuid/timeline`, officer.headers), 400);
      expectProblem(await call('GET', `/api/v1/incidents/${newId()}/timeline`, officer.headers), 404);
      expectProblem(await call('GET', `${url}?cursor=garbage`, officer.headers), 400);
      expectProblem(await call('DELETE', `/api/v1/incident-timeline/${newId()}?version=abc`, officer.headers), 400);
      // Text is stored as typed (rendering escapes it), never interpreted.
      const xss = await call('POST', url, officer.headers, {
        occurredAt: at(-1),
        description: '<img src=x onerror=alert(1)>',
        source: 'other',
      });
      expect(xss.statusCode).toBe(201);
      expect(xss.json().description).toBe('<img src=x onerror=alert(1)>');
    });
  });

  describe('evidence and chain of custody', () => {
    async function upload(incidentId: string, content: string) {
      return t.services.attachments.upload(systemCtx, { entityType: 'incident', entityId: incidentId }, (consume) =>
        consume({
          filename: 'headers.eml',
          stream: Readable.from([Buffer.from(content)]),
          isTruncated: () => false,
        }),
      );
    }

    it('takes the SHA-256 of an attachment of the incident and shows whether the stored bytes still match', async () => {
      const incidentId = await makeIncident(officeId);
      const file = await upload(incidentId, `Received: from evil.example\nSubject: Invoice ${incidentId}\n`);
      const res = await call('POST', `/api/v1/incidents/${incidentId}/evidence`, officer.headers, {
        label: 'Phishing e-mail with headers',
        kind: 'digital',
        acquiredAt: at(-1),
        acquisitionMethod: 'Exported from the mailbox as .eml',
        storageLocation: 'Outpost attachment',
        attachmentId: file.id,
      });
      expect(res.statusCode, res.body).toBe(201);
      const ev = res.json();
      expect(ev).toMatchObject({
        sha256: file.sha256,
        attachmentId: file.id,
        acquiredByUserId: officer.user.id,
        custodyEntries: 1,
        integrity: { status: 'verified', actualSha256: file.sha256 },
        version: 1,
      });
      expect(ev.acquiredByName).toContain('Test security_officer');
      expect(ev.currentCustodian).toBe(ev.acquiredByName);

      // The stored file is altered behind Outpost's back: the next read says so.
      const blob = t.services.attachments.blobs.pathOf(file.sha256);
      chmodSync(blob, 0o644);
      writeFileSync(blob, 'tampered');
      const after = await call('GET', `/api/v1/incident-evidence/${ev.id}`, officer.headers);
      expect(after.statusCode).toBe(200);
      expect(after.json().integrity.status).toBe('mismatch');
      expect(after.json().integrity.actualSha256).not.toBe(file.sha256);
      const list = (await call('GET', `/api/v1/incidents/${incidentId}/evidence`, officer.headers)).json();
      expect(list.items.map((e: { integrity: { status: string } }) => e.integrity.status)).toEqual(['mismatch']);

      // The attachment removed from the incident: the evidence remembers its hash and says the file is gone.
      await t.services.attachments.remove(systemCtx, file.id, file.version);
      expect((await call('GET', `/api/v1/incident-evidence/${ev.id}`, officer.headers)).json().integrity.status).toBe(
        'attachment_deleted',
      );
      expect((await auditOf(ev.id)).map((a) => a.action)).toEqual(['incident_evidence.create']);
    });

    it('accepts a hash typed for an item hashed elsewhere, and refuses attachments of another record', async () => {
      const incidentId = await makeIncident(officeId);
      const otherIncident = await makeIncident(officeId);
      const foreign = await upload(otherIncident, 'another incident’s file');
      const hash = 'AB'.repeat(32);
      const typed = await call('POST', `/api/v1/incidents/${incidentId}/evidence`, officer.headers, {
        label: 'Laptop disk image',
        kind: 'digital',
        acquiredAt: at(-3),
        acquiredByName: 'Forensic lab, HQ',
        acquisitionMethod: 'Write-blocker, dd image',
        sha256: hash,
        custodian: 'Evidence safe, room 2',
      });
      expect(typed.statusCode, typed.body).toBe(201);
      expect(typed.json()).toMatchObject({
        sha256: hash.toLowerCase(),
        acquiredByUserId: null,
        acquiredByName: 'Forensic lab, HQ',
        currentCustodian: 'Evidence safe, room 2',
        integrity: { status: 'external' },
      });
      const physical = await call('POST', `/api/v1/incidents/${incidentId}/evidence`, officer.headers, {
        label: 'Broken padlock',
        kind: 'physical',
        acquiredAt: at(-3),
      });
      expect(physical.json().integrity.status).toBe('none');

      const base = { label: 'x', kind: 'digital', acquiredAt: at(-1) };
      for (const body of [
        { ...base, attachmentId: foreign.id },
        { ...base, attachmentId: newId() },
        { ...base, sha256: 'abc' },
        { ...base, sha256: 'g'.repeat(64) },
        { ...base, sha256: hash, attachmentId: foreign.id },
        { ...base, kind: 'rumour' },
        { ...base, acquiredAt: at(1) },
        { ...base, acquiredByUserId: newId() },
        { ...base, acquiredByUserId: officer.user.id, acquiredByName: 'Both' },
        { label: '', kind: 'digital', acquiredAt: at(-1) },
      ])
        expectProblem(await call('POST', `/api/v1/incidents/${incidentId}/evidence`, officer.headers, body), 400);

      // Hash and acquisition are fixed: the update schema does not take them.
      const ev = typed.json();
      expectProblem(
        await call('PATCH', `/api/v1/incident-evidence/${ev.id}`, officer.headers, {
          sha256: 'cd'.repeat(32),
          version: 1,
        }),
        400,
      );
      const moved = await call('PATCH', `/api/v1/incident-evidence/${ev.id}`, officer.headers, {
        storageLocation: 'HQ evidence room',
        version: 1,
      });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json()).toMatchObject({
        storageLocation: 'HQ evidence room',
        sha256: hash.toLowerCase(),
        version: 2,
      });
      const stale = await call('PATCH', `/api/v1/incident-evidence/${ev.id}`, officer.headers, {
        label: 'Stale',
        version: 1,
      });
      expectProblem(stale, 409);
      expect(stale.json().currentVersion).toBe(2);
      expect((await auditOf(ev.id)).map((a) => a.action)).toEqual([
        'incident_evidence.create',
        'incident_evidence.update',
      ]);
    });

    it('keeps an append-only, hash-chained custody log: every hand-over, who, when and why', async () => {
      const incidentId = await makeIncident(officeId);
      const ev = (
        await call('POST', `/api/v1/incidents/${incidentId}/evidence`, officer.headers, {
          label: 'USB stick found in the car park',
          kind: 'physical',
          acquiredAt: at(-5),
          storageLocation: 'Office safe',
        })
      ).json();
      const url = `/api/v1/incident-evidence/${ev.id}/custody`;
      const first = (await call('GET', url, officer.headers)).json();
      expect(first.chainIntact).toBe(true);
      expect(first.items).toEqual([
        expect.objectContaining({ seq: 1, from: null, to: ev.acquiredByName, at: at(-5), purpose: 'Acquisition' }),
      ]);

      const handOver = await call('POST', url, officer.headers, {
        to: 'IT contractor (Mr Beridze)',
        at: at(-2),
        purpose: 'Forensic copy in an isolated lab',
        note: 'Sealed bag #0042',
      });
      expect(handOver.statusCode, handOver.body).toBe(201);
      expect(handOver.json()).toMatchObject({
        seq: 2,
        from: ev.acquiredByName,
        to: 'IT contractor (Mr Beridze)',
        recordedBy: officer.user.id,
      });
      const back = await call('POST', url, officer.headers, { to: 'Office safe', purpose: 'Returned after analysis' });
      expect(back.statusCode).toBe(201);
      expect(back.json()).toMatchObject({ seq: 3, from: 'IT contractor (Mr Beridze)', at: TEST_START });

      // Never before the previous hand-over, never in the future, never without a why.
      expectProblem(await call('POST', url, officer.headers, { to: 'x', at: at(-3), purpose: 'Backdated' }), 400);
      expectProblem(await call('POST', url, officer.headers, { to: 'x', at: at(1), purpose: 'Future' }), 400);
      expectProblem(await call('POST', url, officer.headers, { to: 'x' }), 400);

      // No route edits or removes an entry.
      const entryId = handOver.json().id;
      for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
        expect((await call(method, `${url}/${entryId}`, officer.headers, { to: 'y' })).statusCode).toBe(404);
        expect((await call(method, url, officer.headers, { to: 'y' })).statusCode).toBe(404);
      }
      const log = (await call('GET', url, officer.headers)).json();
      expect(log.items.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
      expect(log.chainIntact).toBe(true);
      expect((await call('GET', `/api/v1/incident-evidence/${ev.id}`, officer.headers)).json()).toMatchObject({
        currentCustodian: 'Office safe',
        custodyEntries: 3,
      });
      const trail = await auditOf(ev.id);
      expect(trail.filter((a) => a.action === 'incident_custody.create')).toHaveLength(2);

      // Changed behind Outpost's back (in the database), the chain no longer holds.
      await t.db.database.db
        .updateTable('incident_custody')
        .set({ to_party: 'Someone else' })
        .where('id', '=', entryId)
        .execute();
      expect((await call('GET', url, officer.headers)).json().chainIntact).toBe(false);
    });

    it('keeps the chain whole when two hand-overs are recorded at the same moment', async () => {
      const incidentId = await makeIncident(officeId);
      const ev = (
        await call('POST', `/api/v1/incidents/${incidentId}/evidence`, officer.headers, {
          label: 'CCTV export',
          kind: 'digital',
          acquiredAt: at(-5),
        })
      ).json();
      const url = `/api/v1/incident-evidence/${ev.id}/custody`;
      const results = await Promise.all(
        ['Analyst A', 'Analyst B', 'Analyst C'].map((to) =>
          call('POST', url, officer.headers, { to, purpose: 'Analysis' }),
        ),
      );
      // Each either lands or is told to retry (409); none is lost silently, none breaks the chain.
      for (const r of results) expect([201, 409], r.body).toContain(r.statusCode);
      const landed = results.filter((r) => r.statusCode === 201).length;
      expect(landed).toBeGreaterThanOrEqual(1);
      const log = (await call('GET', url, officer.headers)).json();
      expect(log.items).toHaveLength(1 + landed);
      expect(log.items.map((e: { seq: number }) => e.seq)).toEqual(log.items.map((_: unknown, i: number) => i + 1));
      expect(log.chainIntact).toBe(true);
    });

    it('needs write access to the incident: its reporter, the head of office and auditors do not see evidence', async () => {
      const incidentId = await makeIncident(officeId, { reporter_user_id: reporter.user.id });
      const ev = (
        await call('POST', `/api/v1/incidents/${incidentId}/evidence`, officer.headers, {
          label: 'Photo of the broken window',
          kind: 'photo',
          acquiredAt: at(-1),
        })
      ).json();
      for (const headers of [reporter.headers, head, auditor]) {
        expectProblem(await call('GET', `/api/v1/incidents/${incidentId}/evidence`, headers), 403);
        expectProblem(await call('GET', `/api/v1/incident-evidence/${ev.id}`, headers), 403);
        expectProblem(await call('GET', `/api/v1/incident-evidence/${ev.id}/custody`, headers), 403);
      }
      expectProblem(await call('GET', `/api/v1/incidents/${incidentId}/evidence`, otherStaff), 403);
      expectProblem(await call('GET', `/api/v1/incident-evidence/${ev.id}`, outsider), 404);
      expectProblem(
        await call('POST', `/api/v1/incident-evidence/${ev.id}/custody`, outsider, { to: 'x', purpose: 'y' }),
        404,
      );
      expect((await call('GET', `/api/v1/incident-evidence/${ev.id}`, hq)).statusCode).toBe(200);
      expectProblem(await call('GET', `/api/v1/incident-evidence/${newId()}`, officer.headers), 404);
    });
  });

  describe('communications log', () => {
    it('records who was told what, how and when, and their acknowledgement', async () => {
      const incidentId = await makeIncident(officeId, { reporter_user_id: reporter.user.id });
      const url = `/api/v1/incidents/${incidentId}/communications`;
      const told = await call('POST', url, officer.headers, {
        recipient: 'HQ security duty officer',
        channel: 'phone',
        summary: 'Severity 3 phishing wave, 4 accounts reset, no data loss known',
        communicatedAt: at(-1),
      });
      expect(told.statusCode, told.body).toBe(201);
      expect(told.json()).toMatchObject({
        channel: 'phone',
        communicatedAt: at(-1),
        communicatedBy: officer.user.id,
        acknowledged: false,
        acknowledgedAt: null,
        version: 1,
      });
      const comm = told.json();
      const ack = await call('PATCH', `/api/v1/incident-communications/${comm.id}`, officer.headers, {
        acknowledged: true,
        version: 1,
      });
      expect(ack.statusCode, ack.body).toBe(200);
      expect(ack.json()).toMatchObject({ acknowledged: true, acknowledgedAt: TEST_START, version: 2 });
      expectProblem(
        await call('PATCH', `/api/v1/incident-communications/${comm.id}`, officer.headers, { note: 'x', version: 1 }),
        409,
      );
      const acked = await call('POST', url, officer.headers, {
        recipient: 'All staff',
        channel: 'email',
        summary: 'Do not open invoices from unknown senders',
        acknowledged: true,
      });
      expect(acked.json()).toMatchObject({
        acknowledged: true,
        acknowledgedAt: TEST_START,
        communicatedAt: TEST_START,
      });
      const list = (await call('GET', url, officer.headers)).json();
      expect(list.items.map((c: { recipient: string }) => c.recipient)).toEqual([
        'HQ security duty officer',
        'All staff',
      ]);
      expect((await auditOf(comm.id)).map((a) => a.action)).toEqual([
        'incident_communication.create',
        'incident_communication.update',
      ]);

      for (const body of [
        { recipient: 'x', channel: 'pigeon', summary: 'y' },
        { recipient: '', channel: 'phone', summary: 'y' },
        { recipient: 'x', channel: 'phone', summary: 'y', acknowledgedAt: at(-1) },
        { recipient: 'x', channel: 'phone', summary: 'y', communicatedAt: at(1) },
        {
          recipient: 'x',
          channel: 'phone',
          summary: 'y',
          communicatedAt: at(-1),
          acknowledged: true,
          acknowledgedAt: at(-2),
        },
        { recipient: 'x', channel: 'phone', summary: 'y', recipientUserId: newId() },
      ])
        expectProblem(await call('POST', url, officer.headers, body), 400);
      expectProblem(await call('GET', url, reporter.headers), 403);
      expectProblem(await call('POST', url, head, { recipient: 'x', channel: 'phone', summary: 'y' }), 403);
      expectProblem(await call('GET', url, outsider), 404);
      expectProblem(
        await call('PATCH', `/api/v1/incident-communications/${comm.id}`, outsider, { note: 'x', version: 2 }),
        404,
      );
    });
  });

  describe('links', () => {
    it('links incidents both ways and to other records, only when the caller sees both ends', async () => {
      const a = await makeIncident(officeId);
      const b = await makeIncident(officeId, { title: 'Earlier phishing wave' });
      const foreign = await makeIncident(otherOfficeId);
      // A sensitive incident of the same office, owned by another officer: this officer is not named on it.
      const colleague = (await signedInAs(t, 'security_officer', ['INV'])).user.id;
      const secret = await makeIncident(officeId, { sensitive: 1, owner_user_id: colleague });
      const made = await call('POST', `/api/v1/incidents/${a}/links`, officer.headers, {
        targetType: 'incident',
        targetId: b,
        relation: 'caused_by',
        note: 'Same sender domain',
      });
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json()).toMatchObject({
        incidentId: a,
        targetType: 'incident',
        targetId: b,
        relation: 'caused_by',
        direction: 'outgoing',
        other: { entityType: 'incident', entityId: b, officeId },
      });
      expect(made.json().other.title).toContain('Earlier phishing wave');
      // Seen from the other end.
      const fromB = (await call('GET', `/api/v1/incidents/${b}/links`, officer.headers)).json();
      expect(fromB.items).toEqual([
        expect.objectContaining({ direction: 'incoming', other: expect.objectContaining({ entityId: a }) }),
      ]);
      // Once only, whichever way.
      expectProblem(
        await call('POST', `/api/v1/incidents/${b}/links`, officer.headers, { targetType: 'incident', targetId: a }),
        409,
      );
      // To a site (any type of the record-links registry): related only.
      const site = await call('POST', `/api/v1/incidents/${a}/links`, officer.headers, {
        targetType: 'site',
        targetId: siteId,
      });
      expect(site.statusCode, site.body).toBe(201);
      expect(site.json().other).toMatchObject({ entityType: 'site', title: 'Main office' });
      for (const body of [
        { targetType: 'site', targetId: siteId, relation: 'caused_by' },
        { targetType: 'risk', targetId: newId() },
        { targetType: 'incident', targetId: a },
        { targetType: 'incident', targetId: foreign },
        { targetType: 'incident', targetId: secret },
        { targetType: 'incident', targetId: newId() },
        { targetType: 'Incident; drop table', targetId: b },
        { targetType: 'incident', targetId: b, relation: 'married_to' },
      ])
        expectProblem(await call('POST', `/api/v1/incidents/${a}/links`, officer.headers, body), 400);

      // HQ links across offices; the office's officer does not see the foreign end, so not the link.
      const cross = await call('POST', `/api/v1/incidents/${a}/links`, hq, {
        targetType: 'incident',
        targetId: foreign,
      });
      expect(cross.statusCode, cross.body).toBe(201);
      expect((await call('GET', `/api/v1/incidents/${a}/links`, hq)).json().items).toHaveLength(3);
      expect((await call('GET', `/api/v1/incidents/${a}/links`, officer.headers)).json().items).toHaveLength(2);
      expectProblem(await call('GET', `/api/v1/incidents/${foreign}/links`, officer.headers), 404);
      expect((await call('GET', `/api/v1/incidents/${a}/links`, head)).statusCode).toBe(200);
      expectProblem(await call('GET', `/api/v1/incidents/${a}/links`, reporter.headers), 403);
      expectProblem(await call('DELETE', `/api/v1/incident-links/${made.json().id}`, head), 403);
      expectProblem(await call('DELETE', `/api/v1/incident-links/${made.json().id}`, outsider), 404);

      const del = await call('DELETE', `/api/v1/incident-links/${made.json().id}`, officer.headers);
      expect(del.statusCode, del.body).toBe(204);
      expect((await call('GET', `/api/v1/incidents/${b}/links`, officer.headers)).json().items).toEqual([]);
      // Removing again is not an error, and not audited twice.
      expect((await call('DELETE', `/api/v1/incident-links/${made.json().id}`, officer.headers)).statusCode).toBe(204);
      expectProblem(await call('DELETE', `/api/v1/incident-links/${newId()}`, officer.headers), 404);
      expect((await auditOf(made.json().id)).map((x) => x.action)).toEqual([
        'incident_link.create',
        'incident_link.delete',
      ]);
      // Removed, it can be made again.
      expect(
        (await call('POST', `/api/v1/incidents/${b}/links`, officer.headers, { targetType: 'incident', targetId: a }))
          .statusCode,
      ).toBe(201);
    });
  });

  describe('tasks from the category template', () => {
    it('creates the template’s tasks on the incident once, however often it is applied', async () => {
      const incidentId = await makeIncident(officeId, { owner_user_id: officer.user.id });
      const url = `/api/v1/incidents/${incidentId}/apply-task-template`;
      const first = await call('POST', url, officer.headers, {});
      expect(first.statusCode, first.body).toBe(200);
      const made = first.json();
      expect(made.categoryCode).toBe('cyber:phishing');
      expect(made.createdTaskIds.length).toBeGreaterThanOrEqual(5);
      expect(made.taskIds).toEqual(made.createdTaskIds);

      const again = await call('POST', url, officer.headers, { lang: 'fr' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ createdTaskIds: [], taskIds: made.taskIds });

      const tasks = (
        await call(
          'GET',
          `/api/v1/offices/${officeId}/tasks?subjectType=incident&subjectId=${incidentId}&limit=50`,
          officer.headers,
        )
      ).json();
      expect(tasks.items).toHaveLength(made.taskIds.length);
      const reset = tasks.items.find((x: { title: string }) => x.title.startsWith('Reset the credentials'));
      expect(reset).toMatchObject({
        ownerUserId: officer.user.id,
        priority: 'urgent',
        dueAt: at(4),
        subject: { entityType: 'incident', entityId: incidentId },
      });

      // In French, for an office working in French.
      const fr = await makeIncident(officeId, { category: 'physical:intrusion' });
      const frRes = await call('POST', `/api/v1/incidents/${fr}/apply-task-template`, officer.headers, { lang: 'fr' });
      expect(frRes.statusCode, frRes.body).toBe(200);
      const frTasks = (
        await call('GET', `/api/v1/offices/${officeId}/tasks?subjectType=incident&subjectId=${fr}`, officer.headers)
      ).json();
      expect(frTasks.items.map((x: { title: string }) => x.title)).toContain(
        'Déposer plainte auprès de la police et noter la référence',
      );

      const secret = await makeIncident(officeId, {
        category: 'safety:medical',
        sensitive: 1,
        owner_user_id: officer.user.id,
      });
      const refused = await call('POST', `/api/v1/incidents/${secret}/apply-task-template`, officer.headers, {});
      expectProblem(refused, 422);
      expect(refused.json().detail).toContain('sensitive');
      const none = await makeIncident(officeId, { category: 'physical:vandalism' });
      expectProblem(await call('POST', `/api/v1/incidents/${none}/apply-task-template`, officer.headers, {}), 422);
      expectProblem(await call('POST', url, head, {}), 403);
      expectProblem(await call('POST', url, outsider, {}), 404);
      expectProblem(await call('POST', url, officer.headers, { lang: 'de' }), 400);

      // The catalogue, for the web app's preview.
      const catalogue = await call('GET', '/api/v1/incident-task-templates?category=cyber:phishing', officer.headers);
      expect(catalogue.statusCode).toBe(200);
      expect(catalogue.json().items).toHaveLength(made.taskIds.length);
      expect(catalogue.json().items[0]).toMatchObject({ categoryCode: 'cyber:phishing', order: 1, priority: 'urgent' });
      const all = (await call('GET', '/api/v1/incident-task-templates', officer.headers)).json().items;
      expect(new Set(all.map((i: { categoryCode: string }) => i.categoryCode)).size).toBeGreaterThanOrEqual(8);
      expectProblem(await call('GET', '/api/v1/incident-task-templates', reporter.headers), 403);
      expectProblem(await call('GET', '/api/v1/incident-task-templates?category=%27%20OR%201=1', officer.headers), 400);
    });

    it('applies once even when asked twice at the same moment', async () => {
      const incidentId = await makeIncident(officeId, { category: 'physical:lost_badge_key' });
      const url = `/api/v1/incidents/${incidentId}/apply-task-template`;
      const results = await Promise.all([1, 2].map(() => call('POST', url, officer.headers, {})));
      for (const r of results) expect([200, 409], r.body).toContain(r.statusCode);
      const tasks = (
        await call(
          'GET',
          `/api/v1/offices/${officeId}/tasks?subjectType=incident&subjectId=${incidentId}`,
          officer.headers,
        )
      ).json();
      expect(tasks.items).toHaveLength(3);
    });
  });
  describe('a closed incident', () => {
    it('keeps its record final, but its evidence can still change hands and people can still be told', async () => {
      const incidentId = await makeIncident(officeId);
      const records = await makeInvestigationRecords(t.services, incidentId, siteId);
      await t.db.database.db
        .updateTable('incidents')
        .set({ status: 'closed', closed_at: TEST_START })
        .where('id', '=', incidentId)
        .execute();
      const closed = [
        call('POST', `/api/v1/incidents/${incidentId}/timeline`, officer.headers, {
          occurredAt: at(-1),
          description: 'Late',
          source: 'officer',
        }),
        call('PATCH', `/api/v1/incident-timeline/${records.timelineEntry}`, officer.headers, {
          description: 'Rewritten',
          version: 1,
        }),
        call('DELETE', `/api/v1/incident-timeline/${records.timelineEntry}?version=1`, officer.headers),
        call('POST', `/api/v1/incidents/${incidentId}/evidence`, officer.headers, {
          label: 'Late',
          kind: 'other',
          acquiredAt: at(-1),
        }),
        call('PATCH', `/api/v1/incident-evidence/${records.evidence}`, officer.headers, { label: 'x', version: 1 }),
        call('POST', `/api/v1/incidents/${incidentId}/links`, officer.headers, {
          targetType: 'office',
          targetId: officeId,
        }),
        call('DELETE', `/api/v1/incident-links/${records.link}`, officer.headers),
        call('POST', `/api/v1/incidents/${incidentId}/apply-task-template`, officer.headers, {}),
      ];
      for (const res of await Promise.all(closed)) {
        expectProblem(res, 422);
        expect(res.json().detail).toContain('closed');
      }
      const returned = await call('POST', `/api/v1/incident-evidence/${records.evidence}/custody`, officer.headers, {
        to: 'Owner (returned)',
        purpose: 'Returned to its owner after closure',
      });
      expect(returned.statusCode, returned.body).toBe(201);
      const told = await call('POST', `/api/v1/incidents/${incidentId}/communications`, officer.headers, {
        recipient: 'All staff',
        channel: 'email',
        summary: 'The incident is closed',
      });
      expect(told.statusCode, told.body).toBe(201);
      // Reading stays as it was.
      expect(
        (await call('GET', `/api/v1/incidents/${incidentId}/timeline`, officer.headers)).json().items,
      ).toHaveLength(1);
    });
  });

  describe('backup', () => {
    it('leaves a fresh database empty (restorable) and carries every investigation record through a backup', async () => {
      const fresh = await testDatabase(engine);
      try {
        const n = await fresh.database.db
          .selectFrom('incident_task_templates')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(n.n)).toBe(0);
        const incidentId = await makeIncident(officeId);
        await makeInvestigationRecords(t.services, incidentId, siteId);
        await t.services.investigation.applyTaskTemplate(systemCtx, incidentId, {});
        const file = path.join(t.db.dataDir, `investigation-${engine}.backup`);
        const backup = await createBackupService({ database: t.db.database, clock: systemClock }).backup(file);
        const restored = await createBackupService({ database: fresh.database, clock: systemClock }).restore(file);
        expect(restored.counts).toEqual(backup.counts);
        for (const table of [
          'incident_timeline',
          'incident_evidence',
          'incident_custody',
          'incident_communications',
          'incident_links',
          'incident_task_templates',
          'incident_applied_tasks',
        ])
          expect(backup.counts[table], table).toBeGreaterThan(0);
      } finally {
        await fresh.cleanup();
      }
    });
  });
});
