import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../src/server/lib/auth.ts';
import { servedType, thumbnailDecoder } from '../src/server/modules/attachments/attachments.service.ts';
import { createBackupService } from '../src/server/modules/backup/backup.service.ts';
import { buildTestApp, type TestApp } from './build-test-app.ts';
import { makeOffice, signedInAs } from './factories.ts';
import { pgUrlForSchema, runCli } from './run-cli.ts';
import { TEST_PG_URL, testEngines } from './test-db.ts';
import { recordVerification } from './verification.ts';

/**
 * Issue #7, point 6: hostile files and documents through today's entry points (attachment upload, the
 * office archive import, backup restore, JSON request bodies). Each is refused or stored as inert bytes:
 * no XML entity is ever resolved (a loopback HTTP receiver counts the fetches; /etc/passwd must appear in
 * no answer), no SVG is rasterised, no archive is extracted, no body is inflated, nothing is half-imported,
 * and every answer is a 4xx problem document or a success, quickly and without the memory jumping.
 * There is no server-side XML parser yet (CAP/OSCAL feeds come later): see SECURITY.md.
 */

// ---- What the verification summary reports, over both engines -------------------------------------------
const tally = { documents: 0, resolved: 0, hangs: 0, serverErrors: 0, cliCrashes: 0, halfImports: 0 };
/** One hostile request or command: a hang is anything over the budget; a 5xx is counted, never expected. */
async function hostile<T extends { statusCode: number }>(budgetMs: number, run: () => Promise<T>) {
  tally.documents++;
  const start = performance.now();
  const res = await run();
  const ms = performance.now() - start;
  if (ms > budgetMs) tally.hangs++;
  if (res.statusCode >= 500) tally.serverErrors++;
  return { res, ms };
}

afterAll(() => {
  // Any request the receiver saw, in any test, is an entity (or a reference) that was resolved.
  tally.resolved += received.length;
  const ok = tally.documents > 0 && Object.entries(tally).every(([k, v]) => k === 'documents' || v === 0);
  recordVerification({
    key: '6-hostile-files',
    check: `hostile files and documents (${testEngines().join(', ')}): XXE, billion laughs, zip/gzip bombs, gzip bodies, deep JSON, truncated and path-traversal archives and backups`,
    measured: `${tally.documents} hostile files/documents: ${tally.resolved} entities resolved, ${tally.hangs} hangs, ${tally.serverErrors} 5xx, ${tally.cliCrashes} CLI crashes, ${tally.halfImports} half-imports`,
    requirement: 'no entity resolved, no hang, no 5xx, nothing extracted or half-imported',
    ok,
  });
});

// ---- The loopback receiver an external entity would call ------------------------------------------------
const received: string[] = [];
let receiver: http.Server;
let base = '';
beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    res.end('<!ENTITY leak "RECEIVER-LEAK">');
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

/** Text that must never come back: the first line of /etc/passwd and what the receiver would serve. */
const PASSWD = readFileSync('/etc/passwd', 'utf8').split('\n')[0] ?? 'root:x:0:0';
function assertNothingLeaked(label: string, ...bodies: (string | Buffer)[]) {
  for (const b of bodies) {
    const text = Buffer.isBuffer(b) ? b.toString('latin1') : b;
    if (text.includes(PASSWD) || text.includes('RECEIVER-LEAK')) tally.resolved++;
    expect(text, label).not.toContain(PASSWD);
    expect(text, label).not.toContain('RECEIVER-LEAK');
  }
}

// ---- Peak memory of this process (the server runs in it): VmHWM, reset before each measurement ----------
const procStatus = () => readFileSync('/proc/self/status', 'utf8');
function resetPeak(): number {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux or not allowed: the peak is then the process's lifetime peak, still an upper bound.
  }
  return peakMiB();
}
function peakMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(procStatus());
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}
/** A bomb that were expanded would cost at least its 256 MiB; the headroom allows for GC and buffers. */
const MAX_PEAK_GROWTH_MIB = 96;

// ---- Hostile documents ---------------------------------------------------------------------------------
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function xxeSvg(tag: string) {
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg [
  <!ENTITY file SYSTEM "file:///etc/passwd">
  <!ENTITY web SYSTEM "${base}/${tag}/entity">
  <!ENTITY % remote SYSTEM "${base}/${tag}/dtd">
  %remote;
]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:xi="http://www.w3.org/2001/XInclude" width="400" height="100">
  <text x="0" y="20">&file;</text>
  <text x="0" y="40">&web;</text>
  <xi:include href="file:///etc/passwd" parse="text"/>
  <image href="${base}/${tag}/image.png" width="10" height="10"/>
  <image xlink:href="file:///etc/passwd" width="10" height="10"/>
</svg>
`,
  );
}

function xxeXml(tag: string) {
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE alert [
  <!ENTITY file SYSTEM "file:///etc/passwd">
  <!ENTITY web SYSTEM "${base}/${tag}/entity">
  <!ENTITY % remote SYSTEM "${base}/${tag}/dtd">
  %remote;
]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><note>&file;</note><note>&web;</note></alert>
`,
  );
}

/** The external-DTD form: no internal subset, the whole DTD is fetched. */
const externalDtdXml = (tag: string) =>
  Buffer.from(`<?xml version="1.0"?>\n<!DOCTYPE alert SYSTEM "${base}/${tag}/external.dtd">\n<alert>&leak;</alert>\n`);

/** The classic billion laughs: 10 levels, 10^9 "lol"s (3 GB) if expanded. */
function billionLaughs(root: string, ns = '') {
  const levels = ['<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
  return Buffer.from(
    `<?xml version="1.0"?>\n<!DOCTYPE ${root} [\n  ${levels.join('\n  ')}\n]>\n<${root}${ns}>&lol9;</${root}>\n`,
  );
}

/** 256 MiB of zeros, deflated once (~260 KB), with its CRC-32: the payload of every bomb below. */
const BOMB_SIZE = 256 * 2 ** 20;
async function deflatedZeros(): Promise<{ raw: Buffer; crc: number }> {
  const d = zlib.createDeflateRaw({ level: 9, memLevel: 9 });
  const out: Buffer[] = [];
  d.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => d.on('end', resolve));
  const chunk = Buffer.alloc(2 ** 20);
  let crc = 0;
  for (let i = 0; i < BOMB_SIZE / chunk.length; i++) {
    crc = zlib.crc32(chunk, crc);
    if (!d.write(chunk)) await new Promise((resolve) => d.once('drain', resolve));
  }
  d.end();
  await done;
  return { raw: Buffer.concat(out), crc };
}

/** A gzip member around a raw deflate stream (RFC 1952). */
function gzipOf(raw: Buffer, crc: number, size: number) {
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  return Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3]), raw, trailer]);
}

interface ZipEntry {
  name: string;
  data: Buffer;
  /** 8 = deflated, 0 = stored. */
  method: 0 | 8;
  crc: number;
  size: number;
}
/** A minimal zip (local headers, central directory, end record) built by hand, so every field is ours. */
function zipOf(entries: ZipEntry[]) {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(e.method, 10);
    cd.writeUInt32LE(e.crc >>> 0, 16);
    cd.writeUInt32LE(e.data.length, 20);
    cd.writeUInt32LE(e.size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    parts.push(local, name, e.data);
    offset += local.length + name.length + e.data.length;
  }
  const cdBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBuf, end]);
}
const stored = (name: string, text: string): ZipEntry => {
  const data = Buffer.from(text);
  return { name, data, method: 0, crc: zlib.crc32(data), size: data.length };
};

// ---- multipart by hand (as in attachments.test.ts) ------------------------------------------------------
function multipart(filename: string, data: Buffer, contentType = 'application/octet-stream') {
  const boundary = `----hostile${Math.random().toString(36).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

let zeros: { raw: Buffer; crc: number };
beforeAll(async () => {
  zeros = await deflatedZeros();
});

describe.each(testEngines())('hostile files and documents on %s', (engine) => {
  let t: TestApp;
  let officer: { cookie: string };
  let admin: { cookie: string };
  let siteId: string;

  beforeAll(async () => {
    t = await buildTestApp(engine);
    const office = await makeOffice(t.services, { code: 'HOS' });
    siteId = (await t.services.sites.create(systemCtx, office.id, { name: 'Compound', kind: 'other', country: 'GE' }))
      .id;
    await t.services.people.create(systemCtx, office.id, { displayName: 'Nino Beridze' });
    officer = (await signedInAs(t, 'security_officer', ['HOS'])).headers;
    admin = (await signedInAs(t, 'admin')).headers;
  });
  afterAll(() => t?.close());

  /** Rows of the tables an office import writes (and a restore replaces). */
  async function counts() {
    const n = async (table: 'offices' | 'sites' | 'persons' | 'attachments') =>
      Number(
        (
          await t.db.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      offices: await n('offices'),
      sites: await n('sites'),
      persons: await n('persons'),
      attachments: await n('attachments'),
    };
  }

  /**
   * Uploads `data` and checks the whole life of what was stored: accepted or refused with a 4xx, never
   * a thumbnail, the same bytes back, and none of the leak markers in any answer.
   */
  async function uploadInert(filename: string, data: Buffer, contentType?: string, budgetMs = 5000) {
    const body = multipart(filename, data, contentType);
    const peakBefore = resetPeak();
    const { res, ms } = await hostile(budgetMs, () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/attachments?entityType=site&entityId=${siteId}`,
        headers: { ...officer, ...body.headers },
        payload: body.payload,
      }),
    );
    const peakGrowth = peakMiB() - peakBefore;
    expect(res.statusCode, `${filename}: ${res.body}`).toBeLessThan(500);
    expect(ms, filename).toBeLessThan(budgetMs);
    assertNothingLeaked(filename, res.body);
    if (res.statusCode !== 201) {
      expect(res.headers['content-type']).toContain('application/problem+json');
      return { res, peakGrowth, attachment: undefined };
    }
    const a = res.json();
    expect(a, filename).toMatchObject({ size: data.length, sha256: sha(data), hasThumbnail: false });
    const urls = ['', '/content', '/thumbnail', '/verify'].map((s) => `/api/v1/attachments/${a.id}${s}`);
    const [meta, content, thumb, verify] = await Promise.all(
      urls.map((url) => t.app.inject({ url, headers: officer })),
    );
    const list = await t.app.inject({
      url: `/api/v1/attachments?entityType=site&entityId=${siteId}`,
      headers: officer,
    });
    for (const r of [meta, content, verify, list]) expect(r?.statusCode, filename).toBe(200);
    expect(thumb?.statusCode, `${filename} thumbnail`).toBe(404);
    expect(sha(content?.rawPayload ?? Buffer.alloc(0)), `${filename} bytes`).toBe(sha(data));
    expect(content?.headers['content-disposition'], filename).toMatch(/^attachment; /);
    expect(content?.headers['content-type'], filename).toBe(servedType(a.contentType));
    expect(content?.headers['content-type'], filename).not.toMatch(/svg|xml|html/);
    expect(content?.headers['x-content-type-options']).toBe('nosniff');
    expect(verify?.json().match).toBe(true);
    assertNothingLeaked(filename, meta?.body ?? '', content?.rawPayload ?? '', thumb?.body ?? '', list.body);
    return { res, peakGrowth, attachment: a };
  }

  it('XXE in SVG and XML uploads: stored as inert bytes, never parsed, no entity fetched, no thumbnail', async () => {
    const before = received.length;
    const docs: [string, Buffer, string | undefined][] = [
      ['xxe.svg', xxeSvg(`svg-${engine}`), 'image/svg+xml'],
      ['xxe.xml', xxeXml(`xml-${engine}`), 'application/xml'],
      ['external-dtd.xml', externalDtdXml(`dtd-${engine}`), 'text/xml'],
      // Spoofed: an SVG that says it is a PNG, by name and by Content-Type.
      ['photo.png', xxeSvg(`spoof-${engine}`), 'image/png'],
      // Compressed SVG (libvips would read .svgz too).
      ['xxe.svgz', zlib.gzipSync(xxeSvg(`svgz-${engine}`)), 'image/svg+xml'],
      // A polyglot that file-type calls a GIF while libvips would hand it to its SVG loader (librsvg).
      ['polyglot.gif', Buffer.concat([Buffer.from('GIF'), xxeSvg(`gif-${engine}`)]), 'image/gif'],
    ];
    for (const [name, data, type] of docs) {
      const { res, attachment } = await uploadInert(name, data, type);
      expect(res.statusCode, name).toBe(201);
      expect(attachment.contentType, name).not.toMatch(/svg/);
    }
    // Give any stray fetch time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.slice(before)).toEqual([]);
  });

  it('the thumbnailer can only decode PNG, JPEG, GIF and WebP: SVG (and every other libvips loader) is blocked', async () => {
    const sharp = await thumbnailDecoder();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>');
    await expect(sharp(svg).metadata()).rejects.toThrow(/unsupported image format/);
    await expect(sharp(Buffer.concat([Buffer.from('GIF'), xxeSvg('direct')])).metadata()).rejects.toThrow(
      /unsupported image format/,
    );
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } })
      .png()
      .toBuffer();
    expect((await sharp(png).metadata()).format).toBe('png');
    expect(received.filter((r) => r.includes('/direct/'))).toEqual([]);
  });

  it('billion laughs as .svg and .xml: answered within seconds, memory flat, no thumbnail', async () => {
    for (const [name, data] of [
      ['lol.svg', billionLaughs('svg', ' xmlns="http://www.w3.org/2000/svg"')],
      ['lol.xml', billionLaughs('lolz')],
    ] as const) {
      const { res, peakGrowth } = await uploadInert(name, data, undefined, 5000);
      expect(res.statusCode).toBe(201);
      expect(peakGrowth, `${name} peak RSS growth (MiB)`).toBeLessThan(MAX_PEAK_GROWTH_MIB);
    }
  });

  it('zip and gzip bombs (256 MiB of zeros each) are stored as they are, never extracted', async () => {
    const bomb: ZipEntry = { name: 'zeros.bin', data: zeros.raw, method: 8, crc: zeros.crc, size: BOMB_SIZE };
    const slip = `../../../../../tmp/outpost-zip-slip-${randomUUID()}`;
    const cases: [string, Buffer][] = [
      ['bomb.zip', zipOf([bomb])],
      ['bomb.gz', gzipOf(zeros.raw, zeros.crc, BOMB_SIZE)],
      ['bomb.tar.gz', gzipOf(zeros.raw, zeros.crc, BOMB_SIZE)],
      // A .docx is a zip: the content-types part is the bomb (honest sizes, so too big to look into)…
      ['report.docx', zipOf([{ ...bomb, name: '[Content_Types].xml' }, stored('word/document.xml', '<w:document/>')])],
      // …and here its header lies (says 1,000 bytes): a reader that trusts it would inflate 256 MiB.
      [
        'liar.docx',
        zipOf([{ ...bomb, name: '[Content_Types].xml', size: 1000 }, stored('word/document.xml', '<w:document/>')]),
      ],
      // Entry names that climb out of any extraction directory.
      ['slip.zip', zipOf([stored(slip, 'zip slip'), stored('/etc/cron.d/outpost', '* * * * * root true'), bomb])],
    ];
    for (const [name, data] of cases) {
      const { res, peakGrowth } = await uploadInert(name, data);
      expect(res.statusCode, name).toBe(201);
      expect(peakGrowth, `${name} peak RSS growth (MiB)`).toBeLessThan(MAX_PEAK_GROWTH_MIB);
    }
    expect(existsSync(path.resolve('/tmp', path.basename(slip)))).toBe(false);
  });

  it('a gzip-encoded JSON body is refused with a 4xx problem, never inflated (a bomb included)', async () => {
    const gzBomb = gzipOf(zeros.raw, zeros.crc, BOMB_SIZE);
    const office = { code: 'GZP', name: 'Compressed', countries: ['GE'], timezone: 'Asia/Tbilisi' };
    const cases: [string, Buffer, string][] = [
      ['gzip bomb', gzBomb, 'gzip'],
      ['valid JSON, gzipped', zlib.gzipSync(JSON.stringify(office)), 'gzip'],
      ['valid JSON, deflated', zlib.deflateSync(JSON.stringify(office)), 'deflate'],
      ['valid JSON, brotli', zlib.brotliCompressSync(JSON.stringify(office)), 'br'],
    ];
    for (const [label, payload, encoding] of cases) {
      const peakBefore = resetPeak();
      const { res, ms } = await hostile(5000, () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/offices',
          headers: { ...admin, 'content-type': 'application/json', 'content-encoding': encoding },
          payload,
        }),
      );
      expect(res.statusCode, `${label}: ${res.body}`).toBe(415);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().detail).toMatch(/Content-Encoding/);
      expect(ms).toBeLessThan(5000);
      expect(peakMiB() - peakBefore, label).toBeLessThan(MAX_PEAK_GROWTH_MIB);
    }
    // Nothing was created from the gzipped JSON; identity still works.
    const list = await t.app.inject({ url: '/api/v1/offices?limit=100', headers: admin });
    expect(list.json().items.map((o: { code: string }) => o.code)).not.toContain('GZP');
    const plain = await t.app.inject({
      method: 'POST',
      url: '/api/v1/offices',
      headers: { ...admin, 'content-encoding': 'identity' },
      payload: office,
    });
    expect(plain.statusCode, plain.body).toBe(201);
    // The same for an upload: multipart is not inflated either.
    const body = multipart('x.txt', Buffer.from('x'));
    const up = await hostile(5000, () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/attachments?entityType=site&entityId=${siteId}`,
        headers: { ...officer, ...body.headers, 'content-encoding': 'gzip' },
        payload: zlib.gzipSync(body.payload),
      }),
    );
    expect(up.res.statusCode).toBe(415);
    // A request without a body has nothing encoded: the header alone is no reason to refuse it.
    const read = await t.app.inject({
      url: '/api/v1/offices?limit=1',
      headers: { ...admin, 'content-encoding': 'gzip' },
    });
    expect(read.statusCode, read.body).toBe(200);
  });

  it('JSON nested 100,000 deep in a request body: a 400 problem, and the server answers afterwards', async () => {
    const depth = 100_000;
    const bodies: [string, string][] = [
      ['arrays', `${'['.repeat(depth)}${']'.repeat(depth)}`],
      ['objects', `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`],
      [
        'in a field',
        `{"code":"DEEP","name":${'['.repeat(depth)}${']'.repeat(depth)},"countries":["GE"],"timezone":"UTC"}`,
      ],
    ];
    for (const [label, payload] of bodies) {
      const { res, ms } = await hostile(5000, () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/offices',
          headers: { ...admin, 'content-type': 'application/json' },
          payload,
        }),
      );
      expect(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(ms).toBeLessThan(5000);
    }
    expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/offices', headers: admin })).statusCode).toBe(200);
  });

  // ---- The office archive import (CLI: `outpost import <file>`) ---------------------------------------
  it('the office archive import refuses bombs, truncated, deep and inconsistent archives whole: nothing half-imported', async () => {
    const archive = await t.services.transfer.exportOffice(systemCtx, 'HOS');
    // The same archive as a new office (fresh ids), so a good import would succeed.
    const fresh = structuredClone(archive);
    fresh.office = { ...fresh.office, id: randomUUID(), code: 'NEW' };
    fresh.sites = fresh.sites.map((s) => ({ ...s, id: randomUUID(), officeId: fresh.office.id }));
    fresh.persons = fresh.persons.map((p) => ({ ...p, id: randomUUID(), officeId: fresh.office.id }));
    const text = JSON.stringify(fresh);
    const deep = 100_000;
    const before = await counts();

    const bad = (office: object, site: object) =>
      JSON.stringify({ ...fresh, office: { ...fresh.office, ...office }, sites: [{ ...fresh.sites[0], ...site }] });
    // The format carries no file names (records only), so there is no path to traverse inside it; a
    // code or a country that is not one is refused like any other field out of its limits.
    const runs: [string, Buffer | string | ((file: string) => void), RegExp, string[]?][] = [
      // A FIFO would block a plain read for ever; a 300 MiB (sparse) file is over the archive's bound.
      ['fifo.json', (f) => execFileSync('mkfifo', [f]), /is not a regular file; nothing was imported/],
      [
        'oversize.json',
        (f) => {
          writeFileSync(f, '');
          truncateSync(f, 300 * 2 ** 20);
        },
        /is 300 MiB; an office archive is at most 256 MiB/,
      ],
      ['bomb.json', gzipOf(zeros.raw, zeros.crc, BOMB_SIZE), /not valid JSON/],
      ['truncated.json', text.slice(0, Math.floor(text.length / 2)), /not valid JSON/],
      ['nested.json', `${'['.repeat(deep)}${']'.repeat(deep)}`, /not an Outpost office archive/],
      [
        'nested-field.json',
        text.replace(/"name":"[^"]*"/, `"name":${'['.repeat(deep)}${']'.repeat(deep)}`),
        /archive is invalid: office\.name/,
      ],
      // 20 MB of notes: over the field's limit (5,000, as in the site form), refused before anything is written.
      ['huge.json', bad({}, { notes: 'x'.repeat(20_000_000) }), /archive is invalid: sites\.0\.notes/],
      [
        'fields.json',
        bad({ code: '../../etc' }, { country: 'XXX', latitude: 1000, longitude: 0 }),
        /office\.code: .*sites\.0\.country: .*sites\.0\.latitude/,
      ],
      // And a restore (`outpost restore --force`) fed a bomb with a SQLite header.
      [
        'bomb.db',
        Buffer.concat([Buffer.from('SQLite format 3\0'), gzipOf(zeros.raw, zeros.crc, BOMB_SIZE)]),
        /cannot be read as a SQLite backup .*nothing was restored/,
        ['restore', '--force'],
      ],
    ];
    const env: Record<string, string> = { DATA_DIR: t.db.dataDir };
    if (engine === 'postgres' && t.db.database.pgSchema)
      env.DATABASE_URL = pgUrlForSchema(TEST_PG_URL, t.db.database.pgSchema);
    const dir = path.join(t.db.dataDir, 'incoming');
    mkdirSync(dir, { recursive: true });
    // Reading and parsing the file does not depend on the engine: those cases run once (on SQLite); on
    // PostgreSQL, the ones that reach the database (validation in the service, the restore).
    const here = engine === 'sqlite' ? runs : runs.filter(([name]) => name === 'fields.json' || name === 'bomb.db');
    // Two commands at a time (the machine has two cores). Each is a fresh Node process that type-strips
    // the server and opens the database: a hang is one that takes over 30 s, not a slow start-up.
    const results: { name: string; message: RegExp; code: number | null; stderr: string }[] = [];
    const queue = [...here];
    await Promise.all(
      [0, 1].map(async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [name, data, message, command = ['import']] = next;
          const file = path.join(dir, name);
          if (typeof data === 'function') data(file);
          else writeFileSync(file, data);
          const { res } = await hostile(30_000, async () => ({
            ...(await runCli([...command, file], env)),
            statusCode: 0,
          }));
          results.push({ name, message, ...res });
        }
      }),
    );
    for (const r of results) {
      if (r.code !== 2 || /\n\s+at .*:\d+/.test(r.stderr)) tally.cliCrashes++;
      expect(r.code, `${r.name}: ${r.stderr}`).toBe(2);
      expect(r.stderr, r.name).toMatch(r.message);
      expect(r.stderr, r.name).not.toMatch(/\n\s+at .*:\d+/);
      expect(r.stderr.length, r.name).toBeLessThan(2000);
    }
    const after = await counts();
    if (JSON.stringify(after) !== JSON.stringify(before)) tally.halfImports++;
    expect(after).toEqual(before);
    // The control: the same archive, whole, imports (so the refusals above were the files, not the setup).
    const good = path.join(dir, 'good.json');
    writeFileSync(good, text);
    const ok = await runCli(['import', good], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(await counts()).toEqual({
      ...before,
      offices: before.offices + 1,
      sites: before.sites + fresh.sites.length,
      persons: before.persons + fresh.persons.length,
    });
  });

  it('an archive that names the same record twice is refused whole (in-process, on this engine)', async () => {
    const archive = await t.services.transfer.exportOffice(systemCtx, 'HOS');
    const office = { ...archive.office, id: randomUUID(), code: 'TWICE' };
    const site = { ...archive.sites[0], id: randomUUID(), officeId: office.id };
    const person = { ...archive.persons[0], id: randomUUID(), officeId: office.id };
    const before = await counts();
    for (const bad of [
      { ...archive, office, sites: [site, site], persons: [person] },
      { ...archive, office, sites: [site], persons: [person, { ...person, displayName: 'Other' }] },
    ]) {
      const { res } = await hostile(5000, async () => {
        try {
          await t.services.transfer.importOffice(systemCtx, bad);
          return { statusCode: 200, message: '' };
        } catch (e) {
          return { statusCode: (e as { status?: number }).status ?? 500, message: (e as Error).message };
        }
      });
      expect(res.statusCode, res.message).toBe(400);
      expect(res.message).toMatch(/twice/);
    }
    const after = await counts();
    if (JSON.stringify(after) !== JSON.stringify(before)) tally.halfImports++;
    expect(after).toEqual(before);
  });

  // ---- Backup restore (`outpost restore <file>`: the CLI calls this service) ----------------------------
  it('a restore refuses bombs, truncated, deep and failing backups with the data untouched, and never follows a symlink out of the backup', async () => {
    const service = createBackupService({ database: t.db.database, clock: t.clock, dataDir: t.db.dataDir });
    const dir = path.join(t.db.dataDir, 'backups');
    mkdirSync(dir, { recursive: true });
    // One attachment, so the live store and the backup both have files.
    const body = multipart('note.txt', Buffer.from('a real attachment'));
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/attachments?entityType=site&entityId=${siteId}`,
          headers: { ...officer, ...body.headers },
          payload: body.payload,
        })
      ).statusCode,
    ).toBe(201);
    const good = path.join(dir, engine === 'sqlite' ? 'good.db' : 'good.json');
    await service.backup(good);
    const goodBytes = readFileSync(good);
    const before = await counts();

    const deep = 100_000;
    const logical = (tables: Record<string, unknown[]>) =>
      JSON.stringify({
        format: 'outpost.logical-backup',
        formatVersion: 1,
        createdAt: '2026-11-28T09:00:00.000Z',
        migrations: [],
        tables,
      });
    const files: [string, Buffer | string][] = [
      ['bomb.json', gzipOf(zeros.raw, zeros.crc, BOMB_SIZE)],
      ['bomb.db', Buffer.concat([Buffer.from('SQLite format 3\0'), gzipOf(zeros.raw, zeros.crc, BOMB_SIZE)])],
      ['truncated', goodBytes.subarray(0, Math.floor(goodBytes.length / 2))],
      ['nested.json', `${'['.repeat(deep)}${']'.repeat(deep)}`],
      // A cell nested 100,000 deep (values are free-form in the logical format).
      [
        'nested-row.json',
        `${logical({ offices: [{ id: 'x', name: 0 }] }).replace('"name":0', `"name":${'['.repeat(deep)}${']'.repeat(deep)}`)}`,
      ],
      // Valid in shape; its second table fails on insert, after the first was written in the transaction.
      ['fails-late.json', logical({ offices: [], sites: [{ no_such_column: 1 }] })],
    ];
    for (const [name, data] of files) {
      const file = path.join(dir, name);
      writeFileSync(file, data);
      const { res } = await hostile(10_000, async () => {
        try {
          await service.restore(file, { force: true });
          return { statusCode: 200, message: 'restored' };
        } catch (e) {
          return { statusCode: (e as { status?: number }).status ?? 500, message: (e as Error).message };
        }
      });
      expect(res.statusCode, `${name}: ${res.message}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${name}: ${res.message}`).toBeLessThan(500);
      expect(res.message, name).toMatch(/nothing was restored/);
      const after = await counts();
      if (JSON.stringify(after) !== JSON.stringify(before)) tally.halfImports++;
      expect(after, name).toEqual(before);
    }

    // A hostile backup directory: a file named by the SHA-256 of /etc/passwd that is a symlink to it.
    const passwd = readFileSync('/etc/passwd');
    const hash = sha(passwd);
    const link = path.join(`${good}.blobs`, hash.slice(0, 2), hash.slice(2, 4), hash);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync('/etc/passwd', link);
    const { res } = await hostile(10_000, async () => ({
      statusCode: 200,
      result: await service.restore(good, { force: true }),
    }));
    expect(res.result.blobs?.damaged).toContain(hash);
    expect(existsSync(t.services.attachments.blobs.pathOf(hash))).toBe(false);
    expect(await counts()).toEqual(before);
  });
});
