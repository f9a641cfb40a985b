import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { DB, WebauthnCredentialsTable } from '../../db/schema.ts';
import type { Ctx } from '../../lib/auth.ts';
import type { Clock } from '../../lib/clock.ts';
import { Forbidden, Invalid, NotFound, Unauthenticated } from '../../lib/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { AuthService } from '../auth/auth.service.ts';
import * as repo from './passkeys.repository.ts';

const CHALLENGE_MS = 5 * 60_000;

export type PasskeyService = ReturnType<typeof createPasskeyService>;

function toPasskey(r: WebauthnCredentialsTable) {
  return { id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at };
}

/** The challenge inside clientDataJSON, to find the one we issued. */
function challengeOf(clientDataJSON: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    if (typeof parsed.challenge === 'string') return parsed.challenge;
  } catch {
    /* below */
  }
  throw new Invalid('The passkey response is malformed.');
}

/**
 * Passkeys (WebAuthn, @simplewebauthn/server): added from a signed-in session; used to sign in without a
 * password (user verification required), or as the second factor after a password.
 * The relying party is BASE_URL's host; the browser must use that address.
 */
export function createPasskeyService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  auth: AuthService;
  config: Config;
}) {
  const { db, clock, audit, auth } = deps;
  const origin = new URL(deps.config.baseUrl).origin;
  const rpID = new URL(deps.config.baseUrl).hostname;
  const nowIso = () => clock.now().toISOString();
  const expiry = () => new Date(clock.now().getTime() + CHALLENGE_MS).toISOString();

  return {
    async list(ctx: Ctx) {
      const a = ctx.actor;
      if (!a) throw new Unauthenticated('Sign in first.');
      return { items: (await repo.credentialsOf(db, a.userId)).map(toPasskey) };
    },

    async registrationOptions(ctx: Ctx) {
      const a = ctx.actor;
      if (a?.via !== 'session') throw new Forbidden('Add passkeys from a signed-in browser session.');
      const existing = await repo.credentialsOf(db, a.userId);
      const options = await generateRegistrationOptions({
        rpName: 'Outpost',
        rpID,
        userName: a.email,
        userDisplayName: a.displayName,
        userID: new TextEncoder().encode(a.userId),
        attestationType: 'none',
        excludeCredentials: existing.map((c) => ({ id: c.id, transports: JSON.parse(c.transports) })),
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      });
      await repo.saveChallenge(db, options.challenge, 'register', a.userId, expiry(), nowIso());
      return options;
    },

    async register(ctx: Ctx, name: string, credential: unknown) {
      const a = ctx.actor;
      if (a?.via !== 'session') throw new Forbidden('Add passkeys from a signed-in browser session.');
      const response = credential as RegistrationResponseJSON;
      const challenge = await repo.takeChallenge(
        db,
        challengeOf(response.response.clientDataJSON),
        'register',
        nowIso(),
      );
      if (!challenge || challenge.user_id !== a.userId)
        throw new Invalid('The passkey request expired or was not yours; try again.');
      let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
      try {
        verified = await verifyRegistrationResponse({
          response,
          expectedChallenge: challenge.challenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          requireUserVerification: false,
        });
      } catch (err) {
        throw new Invalid(`The passkey could not be verified: ${(err as Error).message}`);
      }
      if (!verified.verified || !verified.registrationInfo) throw new Invalid('The passkey could not be verified.');
      const c = verified.registrationInfo.credential;
      const row: WebauthnCredentialsTable = {
        id: c.id,
        user_id: a.userId,
        name,
        public_key: Buffer.from(c.publicKey).toString('base64url'),
        counter: c.counter,
        transports: JSON.stringify(c.transports ?? []),
        created_at: nowIso(),
        last_used_at: null,
      };
      await db.transaction().execute(async (trx) => {
        if (await repo.findCredential(trx, row.id)) throw new Invalid('This passkey is already registered.');
        await repo.insertCredential(trx, row);
        await audit.record(trx, ctx, {
          action: 'auth.passkey_add',
          entityType: 'passkey',
          entityId: row.id,
          changes: { name },
        });
      });
      return toPasskey(row);
    },

    async remove(ctx: Ctx, id: string) {
      const a = ctx.actor;
      if (!a) throw new Unauthenticated('Sign in first.');
      await db.transaction().execute(async (trx) => {
        if (!(await repo.deleteCredential(trx, id, a.userId))) throw new NotFound('No such passkey of yours.');
        await audit.record(trx, ctx, { action: 'auth.passkey_remove', entityType: 'passkey', entityId: id });
      });
    },

    /** With a half-done sign-in, the options name that user's passkeys (second factor); otherwise any passkey (passwordless). */
    async loginOptions(ctx: Ctx) {
      const pending = ctx.actor?.mfaPending ? ctx.actor : null;
      const allow = pending ? await repo.credentialsOf(db, pending.userId) : [];
      if (pending && allow.length === 0) throw new Invalid('You have no passkey; use your authenticator app code.');
      const options = await generateAuthenticationOptions({
        rpID,
        userVerification: pending ? 'preferred' : 'required',
        allowCredentials: allow.map((c) => ({ id: c.id, transports: JSON.parse(c.transports) })),
      });
      await repo.saveChallenge(
        db,
        options.challenge,
        pending ? 'mfa' : 'login',
        pending?.userId ?? null,
        expiry(),
        nowIso(),
      );
      return options;
    },

    async login(ctx: Ctx, credential: unknown, meta: { ip: string | null; userAgent: string | null }) {
      const response = credential as AuthenticationResponseJSON;
      const pending = ctx.actor?.mfaPending ? ctx.actor : null;
      const challenge = await repo.takeChallenge(
        db,
        challengeOf(response.response.clientDataJSON),
        pending ? 'mfa' : 'login',
        nowIso(),
      );
      const fail = async (why: string) => {
        await db.transaction().execute((trx) =>
          audit.record(trx, ctx, {
            action: 'auth.passkey_failed',
            entityType: 'passkey',
            entityId: String(response.id).slice(0, 200),
            changes: { why },
          }),
        );
        return new Unauthenticated('The passkey was not accepted.');
      };
      if (!challenge) throw await fail('unknown or expired challenge');
      const stored = await repo.findCredential(db, String(response.id));
      if (!stored) throw await fail('unknown credential');
      if (pending && stored.user_id !== pending.userId) throw await fail('credential of another user');
      let result: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
      try {
        result = await verifyAuthenticationResponse({
          response,
          expectedChallenge: challenge.challenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          credential: {
            id: stored.id,
            publicKey: Buffer.from(stored.public_key, 'base64url'),
            counter: stored.counter,
            transports: JSON.parse(stored.transports),
          },
          requireUserVerification: !pending,
        });
      } catch (err) {
        throw await fail((err as Error).message);
      }
      if (!result.verified) throw await fail('signature not verified');
      await repo.updateCounter(db, stored.id, result.authenticationInfo.newCounter, nowIso());
      return auth.startSession(ctx, stored.user_id, meta, 'passkey', pending?.sessionId ?? null);
    },
  };
}
