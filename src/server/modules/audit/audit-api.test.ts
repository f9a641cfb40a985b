import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, signedInAs } from '../../../../test/factories.ts';
import { testEngines } from '../../../../test/test-db.ts';
import { csvField } from './audit.service.ts';

describe.each(testEngines())('audit trail API on %s', (engine) => {
  let t: TestApp;
  let mine: { id: string };
  let other: { id: string };
  beforeAll(async () => {
    t = await buildTestApp(engine);
    mine = await makeOffice(t.services, { code: 'AUA', name: '=HYPERLINK("http://evil")' });
    other = await makeOffice(t.services, { code: 'AUB' });
  });
  afterAll(() => t.close());

  it('lists newest first with filters and cursor pages, for an auditor', async () => {
    const { headers } = await signedInAs(t, 'auditor');
    const page1 = (await t.app.inject({ url: '/api/v1/audit?limit=1&entityType=office', headers })).json();
    expect(page1.items).toHaveLength(1);
    expect(page1.nextCursor).toBeTruthy();
    const page2 = (
      await t.app.inject({ url: `/api/v1/audit?limit=1&entityType=office&cursor=${page1.nextCursor}`, headers })
    ).json();
    expect(page2.items[0].seq).toBeLessThan(page1.items[0].seq);
    expect(page2.nextCursor).toBeNull();
    const byOffice = (await t.app.inject({ url: `/api/v1/audit?officeId=${mine.id}`, headers })).json();
    expect(byOffice.items.every((e: { officeId: string }) => e.officeId === mine.id)).toBe(true);
    expect(byOffice.items[0].changes).toMatchObject({ code: 'AUA' });
  });

  it("shows a head of office only their office's entries", async () => {
    const { headers } = await signedInAs(t, 'head_of_office', ['AUA']);
    const all = (await t.app.inject({ url: '/api/v1/audit?limit=200', headers })).json();
    expect(all.items.length).toBeGreaterThan(0);
    expect(all.items.every((e: { officeId: string }) => e.officeId === mine.id)).toBe(true);
    expect((await t.app.inject({ url: `/api/v1/audit?officeId=${other.id}`, headers })).statusCode).toBe(404);
  });

  it('exports CSV that spreadsheets cannot execute, and audits the export', async () => {
    const { headers, user } = await signedInAs(t, 'admin');
    const res = await t.app.inject({ url: `/api/v1/audit/export.csv?officeId=${mine.id}`, headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.body.split('\r\n')[0]).toBe(
      'seq,at,actor,action,entity_type,entity_id,office_id,request_id,changes,hash',
    );
    expect(res.body).not.toMatch(/(^|,)=HYPERLINK/m);
    const exports = (await t.app.inject({ url: '/api/v1/audit?action=audit.export', headers })).json();
    expect(exports.items[0]).toMatchObject({ actorLabel: user.email, action: 'audit.export' });
    const verify = (await t.app.inject({ url: '/api/v1/audit/verify', headers })).json();
    expect(verify.ok).toBe(true);
  });

  it('rejects hostile filters with 400', async () => {
    const { headers } = await signedInAs(t, 'admin');
    for (const q of ['from=yesterday', 'officeId=1%27%20or%201=1', 'cursor=abc', 'limit=0', 'hack=1']) {
      expect((await t.app.inject({ url: `/api/v1/audit?${q}`, headers })).statusCode, q).toBe(400);
    }
  });
});

describe('csvField', () => {
  it('quotes, doubles quotes, and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField(null)).toBe('');
    expect(csvField({ a: 1 })).toBe('"{""a"":1}"');
  });
});
