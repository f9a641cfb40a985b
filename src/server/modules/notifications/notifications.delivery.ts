import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import nodemailer from 'nodemailer';
import { checkOutbound, type OutboundAllow } from '../../lib/outbound.ts';
import type { Email } from './notifications.templates.ts';

/** The two channels' senders: e-mail over SMTP (nodemailer) and signed webhook POSTs. */

export interface SmtpTransportSettings {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  username: string | null;
  password: string | null;
  fromAddress: string;
}

export interface SendOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

const SMTP_TIMEOUT_MS = 15_000;

export interface Mailer {
  send(to: string, email: Email, headers?: Record<string, string>): Promise<SendOutcome>;
  close(): void;
}

export function createMailer(s: SmtpTransportSettings): Mailer {
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.security === 'tls',
    requireTLS: s.security === 'starttls',
    ignoreTLS: s.security === 'none',
    ...(s.username ? { auth: { user: s.username, pass: s.password ?? '' } } : {}),
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(to, email, headers) {
      try {
        await transport.sendMail({
          from: s.fromAddress,
          to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          ...(headers ? { headers } : {}),
        });
        return { ok: true, statusCode: null, error: null };
      } catch (e) {
        const err = e as Error & { responseCode?: number; code?: string };
        return {
          ok: false,
          statusCode: typeof err.responseCode === 'number' ? err.responseCode : null,
          error: `${err.code ? `${err.code}: ` : ''}${err.message}`.slice(0, 1000),
        };
      }
    },
    close() {
      transport.close();
    },
  };
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * POSTs the JSON body, signed, to a URL that passes the outbound guard; the connection goes to the very
 * address the guard checked (no second DNS look-up), so a rebinding name cannot reach inside.
 */
export async function postWebhook(
  rawUrl: string,
  allow: OutboundAllow,
  secret: string,
  deliveryId: string,
  body: string,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<SendOutcome> {
  const decision = await checkOutbound(rawUrl, allow);
  if (!decision.ok) return { ok: false, statusCode: null, error: `refused: ${decision.reason}` };
  const { url, address, family } = decision;
  const lookup: LookupFunction = (_host, options, cb) => {
    if ((options as { all?: boolean }).all)
      (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else cb(null, address, family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<SendOutcome>((resolve) => {
    let settled = false;
    const done = (o: SendOutcome) => {
      if (!settled) {
        settled = true;
        resolve(o);
      }
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        lookup,
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Outpost-Webhook/1',
          'x-outpost-signature': signature(secret, body),
          'x-outpost-delivery': deliveryId,
        },
      },
      (res) => {
        const code = res.statusCode ?? 0;
        res.resume();
        res.on('end', () =>
          done(
            code >= 200 && code < 300
              ? { ok: true, statusCode: code, error: null }
              : { ok: false, statusCode: code, error: `HTTP ${code}` },
          ),
        );
        res.on('error', (e) => done({ ok: false, statusCode: code, error: e.message }));
      },
    );
    req.on('error', (e: Error & { code?: string }) =>
      done({
        ok: false,
        statusCode: null,
        error:
          e.name === 'AbortError' || e.name === 'TimeoutError'
            ? `timed out after ${timeoutMs} ms`
            : `${e.code ? `${e.code}: ` : ''}${e.message}`,
      }),
    );
    req.end(body);
  });
}
