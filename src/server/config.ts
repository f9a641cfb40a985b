import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ROLES } from '../shared/permissions.ts';

/**
 * Configuration from environment variables, optionally from a JSON file named by OUTPOST_CONFIG
 * (same keys as the variables; the environment wins). Checked once at start: a bad value stops
 * the start with a message naming the setting and what is allowed.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const intIn = (name: string, min: number, max: number) =>
  z.coerce
    .number({ message: `${name} must be a whole number from ${min} to ${max}` })
    .int({ message: `${name} must be a whole number from ${min} to ${max}` })
    .min(min, { message: `${name} must be a whole number from ${min} to ${max}` })
    .max(max, { message: `${name} must be a whole number from ${min} to ${max}` });

export const ConfigSchema = z.object({
  PORT: intIn('PORT', 0, 65535).default(3000),
  HOST: z.string().min(1, { message: 'HOST must be a host name or address' }).default('127.0.0.1'),
  DATA_DIR: z.string().min(1, { message: 'DATA_DIR must be a directory path' }).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, {
      message: 'DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for the embedded SQLite)',
    })
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  BASE_URL: z
    .url({
      protocol: /^https?$/,
      message: 'BASE_URL must be an http:// or https:// URL, e.g. https://outpost.example.org',
    })
    .optional(),
  BODY_LIMIT_BYTES: intIn('BODY_LIMIT_BYTES', 1024, 1024 * 1024 * 1024).default(1024 * 1024),
  SESSION_IDLE_MINUTES: intIn('SESSION_IDLE_MINUTES', 5, 7 * 24 * 60).default(120),
  SESSION_MAX_HOURS: intIn('SESSION_MAX_HOURS', 1, 24 * 90).default(12),
  OUTPOST_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, {
      message: 'OUTPOST_SECRET_KEY must be 32 bytes in base64, e.g. the output of `openssl rand -base64 32`',
    })
    .optional(),
  OIDC_ISSUER: z
    .url({ protocol: /^https?$/, message: 'OIDC_ISSUER must be the https:// URL of the identity provider' })
    .optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(200).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(500).optional(),
  OIDC_LABEL: z.string().min(1).max(60).default('HQ single sign-on'),
  OIDC_ROLE_CLAIM: z.string().min(1).max(100).default('outpost_role'),
  OIDC_OFFICES_CLAIM: z.string().min(1).max(100).default('outpost_offices'),
  OIDC_DEFAULT_ROLE: z.enum(ROLES, { message: `OIDC_DEFAULT_ROLE must be one of ${ROLES.join(', ')}` }).optional(),
  OUTBOUND_ALLOW: z.string().max(2000).optional(),
  SHUTDOWN_GRACE_MS: intIn('SHUTDOWN_GRACE_MS', 0, 600_000).default(10_000),
  /** How often the outbox worker looks for messages to send (seconds; 60 = every minute). */
  OUTBOX_POLL_SECONDS: intIn('OUTBOX_POLL_SECONDS', 1, 60).default(60),
  /** First retry of a failed delivery after this many seconds, doubling each time (capped at 60×). */
  OUTBOX_RETRY_BASE_SECONDS: intIn('OUTBOX_RETRY_BASE_SECONDS', 1, 3600).default(60),
  /** Failed attempts after which a message is given up and marked failed in the delivery log. */
  OUTBOX_MAX_ATTEMPTS: intIn('OUTBOX_MAX_ATTEMPTS', 1, 50).default(10),
  ATTACHMENT_MAX_BYTES: intIn('ATTACHMENT_MAX_BYTES', 1, 1024 * 1024 * 1024).default(25 * 1024 * 1024),
  ATTACHMENT_SCAN_COMMAND: z
    .string()
    .trim()
    .min(1, { message: 'ATTACHMENT_SCAN_COMMAND must be a command, e.g. clamdscan --no-summary' })
    .max(500)
    .optional(),
});

export type Config = z.infer<typeof ConfigSchema> & { dataDir: string; baseUrl: string; cookieSecure: boolean };

export class ConfigError extends Error {}

const KEYS = Object.keys(ConfigSchema.shape) as (keyof typeof ConfigSchema.shape)[];

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  let fromFile: Record<string, unknown> = {};
  const file = env.OUTPOST_CONFIG;
  if (file) {
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`OUTPOST_CONFIG: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      fromFile = parsed as Record<string, unknown>;
    } catch {
      throw new ConfigError(`OUTPOST_CONFIG: ${file} must be a JSON object with settings such as {"PORT": 3000}`);
    }
    const unknown = Object.keys(fromFile).filter((k) => !(KEYS as string[]).includes(k));
    if (unknown.length) {
      throw new ConfigError(`OUTPOST_CONFIG: unknown setting ${unknown.join(', ')} (known: ${KEYS.join(', ')})`);
    }
  }
  const merged: Record<string, unknown> = { ...fromFile };
  for (const k of KEYS) {
    const v = env[k];
    if (v !== undefined && v !== '') merged[k] = v;
  }
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue?.path[0] ?? 'configuration');
    const got = merged[key];
    const msg = issue?.message.startsWith(key) ? issue.message : `${key}: ${issue?.message}`;
    throw new ConfigError(`Invalid configuration: ${msg}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`);
  }
  const c = result.data;
  const oidcSet = [c.OIDC_ISSUER, c.OIDC_CLIENT_ID, c.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidcSet > 0 && oidcSet < 3)
    throw new ConfigError(
      'Invalid configuration: OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET go together: set all three or none',
    );
  if (
    c.OIDC_ISSUER?.startsWith('http://') &&
    !/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(c.OIDC_ISSUER)
  ) {
    throw new ConfigError(
      'Invalid configuration: OIDC_ISSUER must use https:// (plain http only for a provider on this machine)',
    );
  }
  const dataDir = path.resolve(c.DATA_DIR);
  const hostForUrl = c.HOST === '0.0.0.0' || c.HOST === '::' ? 'localhost' : c.HOST;
  const baseUrl = (
    c.BASE_URL ?? `http://${hostForUrl.includes(':') ? `[${hostForUrl}]` : hostForUrl}:${c.PORT}`
  ).replace(/\/$/, '');
  return { ...c, dataDir, baseUrl, cookieSecure: baseUrl.startsWith('https://') };
}
