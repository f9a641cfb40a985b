import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * Real receivers for the notification channels, on loopback: an SMTP server (`smtp-server`) that keeps
 * every message it accepts, and an HTTP server that records every webhook POST. No mocks.
 */

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  headers: Record<string, string>;
  subject: string;
  text: string;
  html: string;
}

function decodeWords(s: string): string {
  return s.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*(?==\?)?/g, (_m, _cs: string, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data
            .replace(/_/g, ' ')
            .replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

function parseHeaders(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

function decodeBody(body: string, encoding: string | undefined): string {
  const enc = (encoding ?? '7bit').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** Enough MIME for what nodemailer sends: a single part or multipart/alternative with text and HTML. */
export function parseMail(raw: string): Pick<ReceivedMail, 'headers' | 'subject' | 'text' | 'html'> {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = parseHeaders(raw.slice(0, split));
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const type = headers['content-type'] ?? 'text/plain';
  let text = '';
  let html = '';
  const boundary = type.match(/boundary="?([^";]+)"?/)?.[1];
  if (boundary) {
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break;
      const p = part.replace(/^\r?\n/, '');
      const s = p.search(/\r?\n\r?\n/);
      const h = parseHeaders(p.slice(0, s));
      const content = decodeBody(
        p
          .slice(s)
          .replace(/^\r?\n\r?\n/, '')
          .replace(/\r?\n$/, ''),
        h['content-transfer-encoding'],
      );
      if (h['content-type']?.startsWith('text/plain')) text = content;
      if (h['content-type']?.startsWith('text/html')) html = content;
    }
  } else if (type.startsWith('text/html')) html = decodeBody(body, headers['content-transfer-encoding']);
  else text = decodeBody(body, headers['content-transfer-encoding']);
  return { headers, subject: decodeWords(headers.subject ?? ''), text, html };
}

export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  /** `user:password` of every sign-in, to check the stored credentials are used. */
  auths: string[];
  /** Resolves when `n` messages have arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const auths: string[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, callback) {
      auths.push(`${auth.username}:${auth.password}`);
      callback(null, { user: auth.username });
    },
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          ...parseMail(raw),
        });
        for (const w of waiters.splice(0)) w();
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.server.address() as AddressInfo).port;
  return {
    port: actual,
    mails,
    auths,
    async waitFor(n, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (mails.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${n} e-mails, got ${mails.length}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.min(left, 200));
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return mails;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Points the instance's outgoing e-mail at the sink, as an administrator would in the settings (no sign-in to SMTP). */
export async function useSmtpSink(
  app: {
    inject: (opts: {
      method: 'PUT';
      url: string;
      headers: Record<string, string>;
      payload: object;
    }) => Promise<{ statusCode: number; body: string }>;
  },
  adminHeaders: Record<string, string>,
  sink: SmtpSink,
): Promise<void> {
  const res = await app.inject({
    method: 'PUT',
    url: '/api/v1/admin/smtp',
    headers: adminHeaders,
    payload: { host: '127.0.0.1', port: sink.port, security: 'none', fromAddress: 'outpost@example.org', version: 0 },
  });
  if (res.statusCode !== 200) throw new Error(`SMTP settings refused: ${res.statusCode} ${res.body}`);
}

export interface ReceivedHook {
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HookReceiver {
  url: string;
  hits: ReceivedHook[];
  /** Status to answer with (default 200); may change between requests. */
  status: number;
  close(): Promise<void>;
}

export async function startHookReceiver(): Promise<HookReceiver> {
  const hits: ReceivedHook[] = [];
  const r: HookReceiver = {
    url: '',
    hits,
    status: 200,
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(r.status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  r.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return r;
}
