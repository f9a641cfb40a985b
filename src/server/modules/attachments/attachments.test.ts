import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, signedInAs } from '../../../../test/factories.ts';
import { testDatabase, testEngines } from '../../../../test/test-db.ts';
import { systemCtx } from '../../lib/auth.ts';
import { createBackupService } from '../backup/backup.service.ts';
import { listBlobs } from './attachments.blobs.ts';
import { contentDisposition, sanitiseFilename } from './attachments.files.ts';

interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer | string;
}

/** A multipart/form-data body built by hand, so the tests control every byte (hostile names included). */
function multipart(parts: Part[], boundary = `----outpost${Math.random().toString(36).slice(2)}`) {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disp = `form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disp}\r\n${p.contentType ? `Content-Type: ${p.contentType}\r\n` : ''}\r\n`,
      ),
    );
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const HTML = '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n';

describe.each(testEngines())('attachments on %s', (engine) => {
  let t: TestApp;
  let officer: { cookie: string };
  let staff: { cookie: string };
  let auditor: { cookie: string };
  let siteId: string;
  let otherSiteId: string;
  let png: Buffer;

  beforeAll(async () => {
    t = await buildTestApp(engine, { env: { ATTACHMENT_MAX_BYTES: String(200 * 1024) } });
    const office = await makeOffice(t.services, { code: 'ATT' });
    const other = await makeOffice(t.services, { code: 'ATX' });
    siteId = (await t.services.sites.create(systemCtx, office.id, { name: 'Compound', kind: 'other', country: 'GE' }))
      .id;
    otherSiteId = (
      await t.services.sites.create(systemCtx, other.id, { name: 'Elsewhere', kind: 'other', country: 'GE' })
    ).id;
    officer = (await signedInAs(t, 'security_officer', ['ATT'])).headers;
    staff = (await signedInAs(t, 'staff', ['ATT'])).headers;
    auditor = (await signedInAs(t, 'auditor', [])).headers;
    png = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 200, g: 30, b: 30 } } })
      .png()
      .toBuffer();
  });
  afterAll(() => t.close());

  const upload = (headers: { cookie: string }, parts: Part[], target = siteId, type = 'site') => {
    const body = multipart(parts);
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/attachments?entityType=${type}&entityId=${target}`,
      headers: { ...headers, ...body.headers },
      payload: body.payload,
    });
  };

  it('stores an image by its SHA-256, once, with a thumbnail, and serves it as an attachment', async () => {
    const res = await upload(staff, [{ name: 'file', filename: 'gate.png', contentType: 'image/png', data: png }]);
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({
      entityType: 'site',
      entityId: siteId,
      filename: 'gate.png',
      contentType: 'image/png',
      size: png.length,
      sha256: sha(png),
      hasThumbnail: true,
      version: 1,
    });
    const blobFile = path.join(t.db.dataDir, 'blobs', a.sha256.slice(0, 2), a.sha256.slice(2, 4), a.sha256);
    expect(existsSync(blobFile)).toBe(true);
    // The same bytes again: a second record, one stored file.
    const again = await upload(officer, [{ name: 'file', filename: 'copy.png', data: png }]);
    expect(again.statusCode).toBe(201);
    expect((await listBlobs(path.join(t.db.dataDir, 'blobs'))).filter((h) => h === a.sha256)).toHaveLength(1);

    const dl = await t.app.inject({ url: `/api/v1/attachments/${a.id}/content`, headers: staff });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="gate.png"; filename*=UTF-8''gate.png`);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(sha(dl.rawPayload)).toBe(a.sha256);

    const thumb = await t.app.inject({ url: `/api/v1/attachments/${a.id}/thumbnail`, headers: staff });
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    const meta = await sharp(thumb.rawPayload).metadata();
    expect(meta.format).toBe('webp');
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(320);

    const list = await t.app.inject({
      url: `/api/v1/attachments?entityType=site&entityId=${siteId}`,
      headers: auditor,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(a.id);
  });

  it('an HTML file named .png is stored and served as application/octet-stream, as an attachment, never inline', async () => {
    const res = await upload(officer, [
      { name: 'file', filename: 'holiday.png', contentType: 'image/png', data: HTML },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    expect(a.contentType).toBe('application/octet-stream');
    expect(a.hasThumbnail).toBe(false);
    const dl = await t.app.inject({ url: `/api/v1/attachments/${a.id}/content`, headers: officer });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/octet-stream');
    expect(dl.headers['content-disposition']).toMatch(/^attachment; /);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(dl.body).toBe(HTML);
    expect((await t.app.inject({ url: `/api/v1/attachments/${a.id}/thumbnail`, headers: officer })).statusCode).toBe(
      404,
    );
  });

  it('a pixel bomb (a 100,000 × 100,000 PNG in a few hundred bytes) is stored without a preview, never decoded', async () => {
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(zlib.crc32(body));
      return Buffer.concat([len, body, crc]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(100_000, 0);
    ihdr.writeUInt32BE(100_000, 4);
    ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale: 10 GB once decoded
    const bomb = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', zlib.deflateSync(Buffer.alloc(100_001 * 4))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    const res = await upload(officer, [{ name: 'file', filename: 'bomb.png', data: bomb }]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ contentType: 'image/png', hasThumbnail: false });
    const thumb = await t.app.inject({ url: `/api/v1/attachments/${res.json().id}/thumbnail`, headers: officer });
    expect(thumb.statusCode).toBe(404);
  });

  it('serves a PDF as application/pdf (safe list) and an SVG as octet-stream', async () => {
    const pdf = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';
    const p = (await upload(officer, [{ name: 'file', filename: 'plan.pdf', data: pdf }])).json();
    expect(p.contentType).toBe('application/pdf');
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>';
    const s = (
      await upload(officer, [{ name: 'file', filename: 'logo.svg', contentType: 'image/svg+xml', data: svg }])
    ).json();
    const dl = await t.app.inject({ url: `/api/v1/attachments/${s.id}/content`, headers: officer });
    expect(dl.headers['content-type']).toBe('application/octet-stream');
  });

  it('cleans hostile file names for display and never uses them as a path', async () => {
    const cases: [string, string][] = [
      ['../../etc/passwd', 'passwd'],
      ['..\\..\\boot.ini', 'boot.ini'],
      ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
      ['.htaccess', 'htaccess'],
      ['   ', 'attachment'],
      ['report\u0007\u001b.txt', 'report.txt'],
    ];
    for (const [given, shown] of cases) expect(sanitiseFilename(given), JSON.stringify(given)).toBe(shown);
    const long = `${'a'.repeat(2000)}.pdf`;
    expect(sanitiseFilename(long)).toHaveLength(200);
    expect(sanitiseFilename(long).endsWith('.pdf')).toBe(true);
    expect(contentDisposition('Évaluation "finale".pdf')).toBe(
      `attachment; filename="_valuation _finale_.pdf"; filename*=UTF-8''%C3%89valuation%20%22finale%22.pdf`,
    );

    for (const [name, expected] of [
      ['../../etc/passwd', 'passwd'],
      ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
      [`${'x'.repeat(2000)}.txt`, `${'x'.repeat(196)}.txt`],
    ] as const) {
      const res = await upload(officer, [{ name: 'file', filename: name, data: `content of ${name.length}` }]);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().filename).toBe(expected);
    }
    // NUL in the header: refused or cleaned, never a 5xx and never a NUL in what is stored.
    const nul = await upload(officer, [{ name: 'file', filename: 'a\u0000b.txt', data: 'nul' }]);
    expect(nul.statusCode).toBeLessThan(500);
    if (nul.statusCode === 201) expect(nul.json().filename).not.toContain('\u0000');
    // Nothing was written outside the blob store.
    expect(existsSync(path.join(t.db.dataDir, 'etc'))).toBe(false);
    expect(readdirSync(path.join(t.db.dataDir, 'tmp', 'uploads'))).toEqual([]);
  });

  it('answers wrong shapes with clear 4xx problems', async () => {
    const empty = await upload(officer, [{ name: 'file', filename: 'empty.txt', data: '' }]);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().detail).toMatch(/empty/);
    const json = await t.app.inject({
      method: 'POST',
      url: `/api/v1/attachments?entityType=site&entityId=${siteId}`,
      headers: officer,
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);
    expect(json.headers['content-type']).toContain('application/problem+json');
    const noFile = await upload(officer, [{ name: 'comment', data: 'hello' }]);
    expect(noFile.statusCode).toBe(400);
    const wrongField = await upload(officer, [{ name: 'upload', filename: 'x.txt', data: 'x' }]);
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json().detail).toMatch(/named "file"/);
    const two = await upload(officer, [
      { name: 'file', filename: 'a.txt', data: 'a' },
      { name: 'file', filename: 'b.txt', data: 'b' },
    ]);
    expect(two.statusCode).toBe(400);
    const nothing = multipart([]);
    const none = await t.app.inject({
      method: 'POST',
      url: `/api/v1/attachments?entityType=site&entityId=${siteId}`,
      headers: { ...officer, ...nothing.headers },
      payload: nothing.payload,
    });
    expect(none.statusCode).toBe(400);
    const broken = await t.app.inject({
      method: 'POST',
      url: `/api/v1/attachments?entityType=site&entityId=${siteId}`,
      headers: { ...officer, 'content-type': 'multipart/form-data; boundary=abc' },
      payload: '--abc\r\nContent-Disposition: form-data; name="file"; filename="x.txt"\r\n\r\nunterminated',
    });
    expect(broken.statusCode).toBeGreaterThanOrEqual(400);
    expect(broken.statusCode).toBeLessThan(500);
    const noBoundary = await t.app.inject({
      method: 'POST',
      url: `/api/v1/attachments?entityType=site&entityId=${siteId}`,
      headers: { ...officer, 'content-type': 'multipart/form-data' },
      payload: 'whatever',
    });
    expect(noBoundary.statusCode).toBeGreaterThanOrEqual(400);
    expect(noBoundary.statusCode).toBeLessThan(500);
    const badType = await upload(officer, [{ name: 'file', filename: 'x.txt', data: 'x' }], siteId, 'spaceship');
    expect(badType.statusCode).toBe(400);
    const missingTarget = await t.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: officer });
    expect(missingTarget.statusCode).toBe(400);
    expect(readdirSync(path.join(t.db.dataDir, 'tmp', 'uploads'))).toEqual([]);
  });

  it('refuses a file over ATTACHMENT_MAX_BYTES with a 413 and keeps nothing', async () => {
    const before = (await listBlobs(path.join(t.db.dataDir, 'blobs'))).length;
    const big = Buffer.alloc(200 * 1024 + 1, 7);
    const res = await upload(officer, [{ name: 'file', filename: 'big.bin', data: big }]);
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toMatch(/over the limit of 200 KB/);
    expect((await listBlobs(path.join(t.db.dataDir, 'blobs'))).length).toBe(before);
    expect(readdirSync(path.join(t.db.dataDir, 'tmp', 'uploads'))).toEqual([]);
    const exact = await upload(officer, [{ name: 'file', filename: 'max.bin', data: Buffer.alloc(200 * 1024, 8) }]);
    expect(exact.statusCode).toBe(201);
  });

  it("hides another office's records (404) and refuses roles without attachment.write (403)", async () => {
    const res = await upload(officer, [{ name: 'file', filename: 'x.txt', data: 'x' }], otherSiteId);
    expect(res.statusCode).toBe(404);
    const unknown = await upload(officer, [{ name: 'file', filename: 'x.txt', data: 'x' }], crypto.randomUUID());
    expect(unknown.statusCode).toBe(404);
    const ro = await upload(auditor, [{ name: 'file', filename: 'x.txt', data: 'x' }]);
    expect(ro.statusCode).toBe(403);
    // An attachment of the other office is invisible by id too.
    const theirs = await t.services.attachments.upload(
      systemCtx,
      { entityType: 'site', entityId: otherSiteId },
      async (consume) =>
        consume({
          filename: 'theirs.txt',
          stream: (await import('node:stream')).Readable.from([Buffer.from('secret')]),
          isTruncated: () => false,
        }),
    );
    for (const url of [
      `/api/v1/attachments/${theirs.id}`,
      `/api/v1/attachments/${theirs.id}/content`,
      `/api/v1/attachments/${theirs.id}/verify`,
      `/api/v1/attachments?entityType=site&entityId=${otherSiteId}`,
    ])
      expect((await t.app.inject({ url, headers: officer })).statusCode, url).toBe(404);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/attachments/${theirs.id}?version=1`, headers: officer }))
        .statusCode,
    ).toBe(404);
    // The auditor sees every office.
    expect((await t.app.inject({ url: `/api/v1/attachments/${theirs.id}`, headers: auditor })).statusCode).toBe(200);
  });

  it('verifies the stored bytes against the SHA-256, and deletes with an audit entry', async () => {
    const a = (await upload(officer, [{ name: 'file', filename: 'keys.txt', data: 'key register v1\n' }])).json();
    const ok = await t.app.inject({ url: `/api/v1/attachments/${a.id}/verify`, headers: auditor });
    expect(ok.json()).toMatchObject({ sha256: a.sha256, actualSha256: a.sha256, match: true });
    // Someone alters the stored file behind the application's back.
    const file = t.services.attachments.blobs.pathOf(a.sha256);
    chmodSync(file, 0o600);
    writeFileSync(file, 'key register v2\n');
    const bad = await t.app.inject({ url: `/api/v1/attachments/${a.id}/verify`, headers: auditor });
    expect(bad.json()).toMatchObject({ sha256: a.sha256, actualSha256: sha('key register v2\n'), match: false });

    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/attachments/${a.id}?version=1`, headers: auditor }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/attachments/${a.id}?version=7`, headers: officer }))
        .statusCode,
    ).toBe(409);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/attachments/${a.id}?version=1`, headers: officer }))
        .statusCode,
    ).toBe(204);
    expect((await t.app.inject({ url: `/api/v1/attachments/${a.id}`, headers: officer })).statusCode).toBe(404);
    const trail = await t.app.inject({ url: `/api/v1/audit?entityId=${a.id}`, headers: auditor });
    expect(
      trail
        .json()
        .items.map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual(['attachment.create', 'attachment.delete']);
  });
});

describe.each(testEngines())('backup and restore carry attachment files on %s', (engine) => {
  it('copies the blobs next to the backup and back into a fresh installation', async () => {
    const t = await buildTestApp(engine);
    const fresh = await testDatabase(engine);
    try {
      const office = await makeOffice(t.services, { code: 'BKP' });
      const site = await t.services.sites.create(systemCtx, office.id, { name: 'S', kind: 'other', country: 'GE' });
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'white' } })
        .png()
        .toBuffer();
      const a = await t.services.attachments.upload(
        systemCtx,
        { entityType: 'site', entityId: site.id },
        async (consume) =>
          consume({
            filename: 'p.png',
            stream: (await import('node:stream')).Readable.from([png]),
            isTruncated: () => false,
          }),
      );
      const file = path.join(t.db.dataDir, engine === 'sqlite' ? 'backup.db' : 'backup.json');
      const b = await createBackupService({ database: t.db.database, clock: t.clock, dataDir: t.db.dataDir }).backup(
        file,
      );
      expect(b.blobs).toMatchObject({ dir: `${file}.blobs`, copied: 2, damaged: [] }); // the image and its thumbnail
      const r = await createBackupService({ database: fresh.database, clock: t.clock, dataDir: fresh.dataDir }).restore(
        file,
      );
      expect(r.blobs).toMatchObject({ copied: 2, missing: [], damaged: [] });
      expect((await listBlobs(path.join(fresh.dataDir, 'blobs'))).sort()).toEqual(
        (await listBlobs(path.join(t.db.dataDir, 'blobs'))).sort(),
      );
      expect(existsSync(path.join(fresh.dataDir, 'blobs', a.sha256.slice(0, 2), a.sha256.slice(2, 4), a.sha256))).toBe(
        true,
      );
      // Without the directory, the restore says which files are missing instead of losing them silently.
      const lonely = path.join(t.db.dataDir, 'moved', path.basename(file));
      (await import('node:fs')).mkdirSync(path.dirname(lonely));
      (await import('node:fs')).copyFileSync(file, lonely);
      const bare = await testDatabase(engine);
      try {
        const r2 = await createBackupService({
          database: bare.database,
          clock: t.clock,
          dataDir: bare.dataDir,
        }).restore(lonely);
        expect(r2.blobs?.missing.sort()).toEqual([a.sha256, expect.any(String)].sort());
      } finally {
        await bare.cleanup();
      }
    } finally {
      await fresh.cleanup();
      await t.close();
    }
  });
});

describe('virus-scanning hook', () => {
  let t: TestApp;
  let officer: { cookie: string };
  let siteId: string;

  beforeAll(async () => {
    const dir = (await import('node:fs')).mkdtempSync(path.join((await import('node:os')).tmpdir(), 'scan-'));
    const script = path.join(dir, 'fake-scan.sh');
    // Like clamdscan: exit 0 clean, 1 infected (with a line naming the signature), 2 an error.
    writeFileSync(
      script,
      '#!/bin/sh\nif grep -q BROKEN-SCANNER "$1"; then echo "cannot connect" >&2; exit 2; fi\nif grep -q EICAR "$1"; then echo "$1: Eicar-Test-Signature FOUND"; exit 1; fi\nexit 0\n',
    );
    t = await buildTestApp('sqlite', { env: { ATTACHMENT_SCAN_COMMAND: `sh ${script}` } });
    const office = await makeOffice(t.services, { code: 'SCN' });
    siteId = (await t.services.sites.create(systemCtx, office.id, { name: 'S', kind: 'other', country: 'GE' })).id;
    officer = (await signedInAs(t, 'security_officer', ['SCN'])).headers;
  });
  afterAll(() => t.close());

  const send = (data: string) => {
    const body = multipart([{ name: 'file', filename: 'doc.txt', data }]);
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/attachments?entityType=site&entityId=${siteId}`,
      headers: { ...officer, ...body.headers },
      payload: body.payload,
    });
  };

  it('stores clean files, refuses infected ones with a 422 (not stored), and fails closed when the scanner fails', async () => {
    expect((await send('just text')).statusCode).toBe(201);
    const infected = await send('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');
    expect(infected.statusCode).toBe(422);
    expect(infected.json().detail).toMatch(/Eicar-Test-Signature FOUND/);
    expect(infected.json().detail).not.toMatch(/uploads/);
    const broken = await send('BROKEN-SCANNER');
    expect(broken.statusCode).toBe(503);
    const blobs = await listBlobs(path.join(t.db.dataDir, 'blobs'));
    expect(blobs).toEqual([sha('just text')]);
    expect(readdirSync(path.join(t.db.dataDir, 'tmp', 'uploads'))).toEqual([]);
  });
});
