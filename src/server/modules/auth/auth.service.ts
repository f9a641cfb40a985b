import type { Kysely } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import {
  type ApiToken,
  ApiTokenCreateInput,
  ChangePasswordInput,
  type Me,
  SecurityPolicyInput,
} from '../../../shared/auth/auth.schemas.ts';
import { ROLE_PERMISSIONS, ROLES, type Role } from '../../../shared/permissions.ts';
import type { ApiTokensTable, DB } from '../../db/schema.ts';
import { type Actor, assertCan, type Ctx, isCrossOffice } from '../../lib/auth.ts';
import type { Clock } from '../../lib/clock.ts';
import { Forbidden, Invalid, NotFound, RateLimited, Unauthenticated } from '../../lib/errors.ts';
import { newId, newToken, sha256Hex } from '../../lib/ids.ts';
import { passwordProblem } from '../../lib/password-policy.ts';
import { dummyHash, hashPassword, verifyPassword } from '../../lib/passwords.ts';
import type { SecretBox } from '../../lib/secrets.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { SystemService } from '../system/system.service.ts';
import type { UserService } from '../users/users.service.ts';
import * as repo from './auth.repository.ts';

export interface SessionPolicy {
  idleMinutes: number;
  maxHours: number;
}

/**
 * Sign-in throttling (ADR 0009). Failures are counted per IP, per account and IP, and per account, in a
 * 15-minute window. An IP or an account-and-IP pair over its limit waits for the window to end; an
 * account over its limit from many IPs is slowed to one attempt per 30 s, never locked for good, so
 * an attacker cannot keep its owner out.
 */
export const THROTTLE = { windowMs: 15 * 60_000, perIp: 30, perAccountIp: 5, perAccount: 10, accountSpacingMs: 30_000 };

const MFA_PENDING_MINUTES = 5;
const POLICY_TTL_MS = 5_000;
const MFA_POLICY_KEY = 'security.mfa_required_roles';
const TOKEN_PREFIX = 'opt_';

export type AuthService = ReturnType<typeof createAuthService>;

function toApiToken(t: ApiTokensTable): ApiToken {
  return {
    id: t.id,
    name: t.name,
    scope: t.scope as ApiToken['scope'],
    prefix: t.prefix,
    createdAt: t.created_at,
    expiresAt: t.expires_at,
    lastUsedAt: t.last_used_at,
    revokedAt: t.revoked_at,
  };
}

export function createAuthService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  users: UserService;
  system: SystemService;
  secrets: SecretBox;
  sessions: SessionPolicy;
}) {
  const { db, clock, audit, sessions, secrets, system } = deps;
  const accounts = deps.users.accounts;
  const TOUCH_EVERY_MS = 60_000;
  const nowIso = () => clock.now().toISOString();

  /**
   * The MFA policy is read on every authenticated request, so it is kept for a few seconds per process
   * (another instance's change reaches this one within POLICY_TTL_MS; this instance's own at once).
   */
  let policyCache: { roles: Role[]; until: number } | undefined;
  async function mfaRequiredRoles(): Promise<Role[]> {
    const now = Date.now();
    if (policyCache && policyCache.until > now) return policyCache.roles;
    const raw = await system.getSetting(MFA_POLICY_KEY);
    const parsed = raw ? (JSON.parse(raw) as unknown) : [];
    const roles = Array.isArray(parsed)
      ? parsed.filter((r): r is Role => (ROLES as readonly string[]).includes(r))
      : [];
    policyCache = { roles, until: now + POLICY_TTL_MS };
    return roles;
  }

  async function actorFor(
    userId: string,
    via: {
      sessionId: string | null;
      mfaPending: boolean;
      token?: { scope: 'read' | 'write' };
      mfaEnabledAt?: string | null;
    },
  ): Promise<Actor | null> {
    const u = await accounts.byId(userId);
    if (!u) return null;
    const offices = await accounts.officesOf(u.id);
    const mfaEnabledAt =
      via.mfaEnabledAt !== undefined ? via.mfaEnabledAt : ((await repo.findMfa(db, u.id))?.enabled_at ?? null);
    return actorOf(
      { ...u, user_id: u.id },
      offices.map((o) => o.id),
      { ...via, mfaEnabledAt },
    );
  }

  /** The actor for a user row already read (with their offices and MFA state), or null when disabled. */
  async function actorOf(
    u: {
      user_id: string;
      person_id: string;
      email: string;
      display_name: string;
      role: string;
      must_change_password: number;
      is_disabled: number;
    },
    officeIds: string[],
    via: {
      sessionId: string | null;
      mfaPending: boolean;
      token?: { scope: 'read' | 'write' };
      mfaEnabledAt: string | null;
    },
  ): Promise<Actor | null> {
    if (u.is_disabled === 1) return null;
    const role = u.role as Role;
    const mfaEnabled = Boolean(via.mfaEnabledAt);
    const required = !via.token && !mfaEnabled && (await mfaRequiredRoles()).includes(role);
    return {
      userId: u.user_id,
      personId: u.person_id,
      email: u.email,
      displayName: u.display_name,
      role,
      officeIds,
      allOffices: isCrossOffice(role),
      mustChangePassword: !via.token && u.must_change_password === 1,
      mfaPending: via.mfaPending,
      mfaEnabled,
      mfaEnrollmentRequired: required,
      sessionId: via.sessionId,
      via: via.token ? 'token' : 'session',
      tokenScope: via.token?.scope ?? null,
    };
  }

  async function me(actor: Actor): Promise<Me> {
    const u = await accounts.byId(actor.userId);
    const pending = actor.mfaPending;
    const offices = pending
      ? []
      : actor.allOffices
        ? await accounts.allOffices()
        : await accounts.officesOf(actor.userId);
    return {
      userId: actor.userId,
      personId: actor.personId,
      email: actor.email,
      displayName: actor.displayName,
      role: actor.role,
      language: (u?.language as Me['language']) ?? null,
      mustChangePassword: actor.mustChangePassword,
      mfaPending: pending,
      mfaEnabled: actor.mfaEnabled,
      mfaEnrollmentRequired: actor.mfaEnrollmentRequired,
      offices,
      allOffices: actor.allOffices,
      permissions: pending ? [] : [...ROLE_PERMISSIONS[actor.role]],
    };
  }

  async function newSession(
    userId: string,
    meta: { ip: string | null; userAgent: string | null },
    mfaPending: boolean,
  ) {
    const token = newToken();
    const now = clock.now();
    const id = sha256Hex(token);
    const maxMs = mfaPending ? MFA_PENDING_MINUTES * 60_000 : sessions.maxHours * 3_600_000;
    await repo.insertSession(db, {
      id,
      user_id: userId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + maxMs).toISOString(),
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
      mfa_pending: mfaPending ? 1 : 0,
    });
    return { token, id, maxAgeSeconds: Math.floor(maxMs / 1000) };
  }

  // --- throttling ---------------------------------------------------------------------------------

  function throttleKeys(email: string, ip: string | null) {
    const ipKey = `ip:${ip ?? 'unknown'}`;
    return { ip: ipKey, acctIp: `acctip:${email}|${ip ?? 'unknown'}`, acct: `acct:${email}` };
  }

  async function assertNotThrottled(email: string, ip: string | null): Promise<void> {
    const k = throttleKeys(email, ip);
    const now = clock.now().getTime();
    const rows = await repo.throttleRows(db, [k.ip, k.acctIp, k.acct]);
    for (const r of rows) {
      const windowEnd = Date.parse(r.window_start) + THROTTLE.windowMs;
      if (windowEnd <= now) continue;
      const wait = (until: number) => Math.max(1, Math.ceil((until - now) / 1000));
      if (r.key === k.ip && r.failures >= THROTTLE.perIp)
        throw new RateLimited('Too many failed sign-ins from this address; try again later.', wait(windowEnd));
      if (r.key === k.acctIp && r.failures >= THROTTLE.perAccountIp)
        throw new RateLimited('Too many failed sign-ins for this account; try again later.', wait(windowEnd));
      if (r.key === k.acct && r.failures >= THROTTLE.perAccount) {
        const next = Date.parse(r.last_failure_at) + THROTTLE.accountSpacingMs;
        if (next > now)
          throw new RateLimited(
            'Too many failed sign-ins for this account; wait a little before the next try.',
            wait(next),
          );
      }
    }
  }

  async function recordFailure(email: string, ip: string | null): Promise<void> {
    const k = throttleKeys(email, ip);
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const rows = new Map((await repo.throttleRows(trx, [k.ip, k.acctIp, k.acct])).map((r) => [r.key, r]));
      for (const key of [k.ip, k.acctIp, k.acct]) {
        const r = rows.get(key);
        const fresh = !r || Date.parse(r.window_start) + THROTTLE.windowMs <= now.getTime();
        await repo.saveThrottle(trx, {
          key,
          failures: fresh ? 1 : (r?.failures ?? 0) + 1,
          window_start: fresh ? now.toISOString() : (r?.window_start ?? now.toISOString()),
          last_failure_at: now.toISOString(),
        });
      }
    });
  }

  // --- TOTP -----------------------------------------------------------------------------------------

  function totpFor(email: string, secretBase32: string) {
    return new TOTP({
      issuer: 'Outpost',
      label: email,
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      secret: Secret.fromBase32(secretBase32),
    });
  }

  /** A current TOTP code (not replayed) or an unused recovery code. */
  async function checkSecondFactor(
    userId: string,
    email: string,
    code: string,
    allowRecovery: boolean,
  ): Promise<boolean> {
    const mfa = await repo.findMfa(db, userId);
    if (!mfa) return false;
    const compact = code.replace(/\s+/g, '');
    if (/^\d{6}$/.test(compact)) {
      const totp = totpFor(email, secrets.open(mfa.totp_secret));
      const ts = clock.now().getTime();
      const delta = totp.validate({ token: compact, timestamp: ts, window: 1 });
      if (delta === null) return false;
      const step = Math.floor(ts / 30_000) + delta;
      return repo.consumeTotpStep(db, userId, step);
    }
    if (!allowRecovery || !mfa.enabled_at) return false;
    return repo.consumeRecoveryCode(db, userId, sha256Hex(compact.toLowerCase()), nowIso());
  }

  async function mintToken(
    ctx: Ctx,
    userId: string,
    input: { name: string; scope?: 'read' | 'write'; expiresDays?: number | null },
  ) {
    const data = ApiTokenCreateInput.parse(input);
    const secret = newToken(32);
    const prefix = secret.slice(0, 8);
    const token = `${TOKEN_PREFIX}${secret}`;
    const now = clock.now();
    const row: ApiTokensTable = {
      id: newId(),
      user_id: userId,
      name: data.name,
      token_hash: sha256Hex(token),
      scope: data.scope,
      prefix: `${TOKEN_PREFIX}${prefix}`,
      created_at: now.toISOString(),
      expires_at: data.expiresDays ? new Date(now.getTime() + data.expiresDays * 86_400_000).toISOString() : null,
      last_used_at: null,
      revoked_at: null,
    };
    await db.transaction().execute(async (trx) => {
      await repo.insertToken(trx, row);
      await audit.record(trx, ctx, {
        action: 'auth.token_create',
        entityType: 'api_token',
        entityId: row.id,
        changes: { name: row.name, scope: row.scope, expiresAt: row.expires_at },
      });
    });
    return { token, apiToken: toApiToken(row) };
  }

  return {
    me,

    async login(ctx: Ctx, email: string, password: string, meta: { ip: string | null; userAgent: string | null }) {
      await assertNotThrottled(email, meta.ip);
      const u = await accounts.byEmail(email);
      let ok = false;
      if (u?.password_hash) ok = await verifyPassword(u.password_hash, password);
      else await verifyPassword(await dummyHash(), password); // same work whether or not the account exists
      if (!u || !ok || u.is_disabled === 1) {
        await recordFailure(email, meta.ip);
        await db.transaction().execute((trx) =>
          audit.record(trx, ctx, {
            action: 'auth.login_failed',
            entityType: 'user',
            entityId: u?.id ?? null,
            actorLabel: email,
            changes: { ip: meta.ip },
          }),
        );
        throw new Unauthenticated('Wrong e-mail or password.');
      }
      await repo.clearThrottle(db, [throttleKeys(email, meta.ip).acctIp, throttleKeys(email, meta.ip).acct]);
      const mfa = await repo.findMfa(db, u.id);
      const mfaPending = Boolean(mfa?.enabled_at);
      const session = await newSession(u.id, meta, mfaPending);
      await db.transaction().execute((trx) =>
        audit.record(
          trx,
          { ...ctx, actor: null },
          {
            action: mfaPending ? 'auth.password_ok_mfa_pending' : 'auth.login',
            entityType: 'user',
            entityId: u.id,
            actorLabel: u.email,
            changes: { ip: meta.ip },
          },
        ),
      );
      const actor = await actorFor(u.id, { sessionId: session.id, mfaPending });
      if (!actor) throw new Unauthenticated('Wrong e-mail or password.');
      return { token: session.token, me: await me(actor), maxAgeSeconds: session.maxAgeSeconds };
    },

    /** Second step: a valid code turns the pending session into a new, full one (the token rotates). */
    async verifyMfa(ctx: Ctx, code: string, meta: { ip: string | null; userAgent: string | null }) {
      const a = ctx.actor;
      if (!a?.sessionId) throw new Unauthenticated('Sign in first.');
      if (!a.mfaPending) throw new Invalid('No second factor is due for this session.');
      await assertNotThrottled(a.email, meta.ip);
      if (!(await checkSecondFactor(a.userId, a.email, code, true))) {
        await recordFailure(a.email, meta.ip);
        await db
          .transaction()
          .execute((trx) =>
            audit.record(trx, ctx, { action: 'auth.mfa_failed', entityType: 'user', entityId: a.userId }),
          );
        throw new Invalid('The code is not valid.', [
          { path: 'body.code', message: 'is not valid (or was already used)', code: 'mfa.invalid_code' },
        ]);
      }
      await repo.deleteSession(db, a.sessionId);
      const session = await newSession(a.userId, meta, false);
      await db.transaction().execute((trx) =>
        audit.record(trx, ctx, {
          action: 'auth.login',
          entityType: 'user',
          entityId: a.userId,
          changes: { ip: meta.ip, mfa: true },
        }),
      );
      const actor = await actorFor(a.userId, { sessionId: session.id, mfaPending: false });
      if (!actor) throw new Unauthenticated('Sign in first.');
      return { token: session.token, me: await me(actor), maxAgeSeconds: session.maxAgeSeconds };
    },

    /** A full session for a user signed in elsewhere (single sign-on): the identity provider did the checks. */
    async startSession(
      ctx: Ctx,
      userId: string,
      meta: { ip: string | null; userAgent: string | null },
      method: 'sso' | 'passkey',
      replacesSessionId?: string | null,
    ) {
      if (replacesSessionId) await repo.deleteSession(db, replacesSessionId);
      const session = await newSession(userId, meta, false);
      const actor = await actorFor(userId, { sessionId: session.id, mfaPending: false });
      if (!actor) throw new Unauthenticated('This account cannot sign in.');
      await db.transaction().execute((trx) =>
        audit.record(
          trx,
          { ...ctx, actor },
          {
            action: 'auth.login',
            entityType: 'user',
            entityId: userId,
            changes: { ip: meta.ip, method },
          },
        ),
      );
      return { ...session, me: await me(actor) };
    },

    /** The actor behind a session token, or null when it is unknown, expired or idle too long. */
    async resolve(token: string): Promise<Actor | null> {
      if (!token || token.length > 200) return null;
      const id = sha256Hex(token);
      const s = await repo.findSessionActor(db, id);
      if (!s) return null;
      const now = clock.now();
      const idleLimit = new Date(now.getTime() - sessions.idleMinutes * 60_000).toISOString();
      if (s.expires_at <= now.toISOString() || s.last_seen_at < idleLimit) {
        await repo.deleteSession(db, id);
        return null;
      }
      if (now.getTime() - Date.parse(s.last_seen_at) > TOUCH_EVERY_MS)
        await repo.touchSession(db, id, now.toISOString());
      return actorOf(s, s.office_ids ? s.office_ids.split(',') : [], {
        sessionId: id,
        mfaPending: s.mfa_pending === 1,
        mfaEnabledAt: s.mfa_enabled_at ?? null,
      });
    },

    /** The actor behind an API token (`Authorization: Bearer opt_…`), or null. */
    async resolveToken(token: string): Promise<Actor | null> {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
      const t = await repo.findTokenByHash(db, sha256Hex(token));
      const now = nowIso();
      if (!t || t.revoked_at || (t.expires_at && t.expires_at <= now)) return null;
      if (!t.last_used_at || Date.parse(now) - Date.parse(t.last_used_at) > TOUCH_EVERY_MS)
        await repo.touchToken(db, t.id, now);
      return actorFor(t.user_id, { sessionId: null, mfaPending: false, token: { scope: t.scope as 'read' | 'write' } });
    },

    async updatePreferences(ctx: Ctx, prefs: { language: 'en' | 'fr' | null }): Promise<Me> {
      const a = ctx.actor;
      if (!a) throw new Unauthenticated('Sign in first.');
      await accounts.setLanguage(a.userId, prefs.language);
      return me(a);
    },

    async logout(ctx: Ctx, token: string | undefined): Promise<void> {
      if (!token) return;
      const id = sha256Hex(token);
      const s = await repo.findSession(db, id);
      if (!s) return;
      await repo.deleteSession(db, id);
      await db
        .transaction()
        .execute((trx) => audit.record(trx, ctx, { action: 'auth.logout', entityType: 'user', entityId: s.user_id }));
    },

    /** Sessions are named by the first 16 hex digits of their token's hash: enough to tell them apart, useless to sign in. */
    async listSessions(ctx: Ctx) {
      const a = ctx.actor;
      if (!a) throw new Unauthenticated('Sign in first.');
      const rows = await repo.sessionsOfUser(db, a.userId, nowIso());
      return {
        items: rows.map((s) => ({
          id: s.id.slice(0, 16),
          createdAt: s.created_at,
          lastSeenAt: s.last_seen_at,
          expiresAt: s.expires_at,
          ip: s.ip,
          userAgent: s.user_agent,
          current: s.id === a.sessionId,
        })),
      };
    },

    async revokeSession(ctx: Ctx, handle: string) {
      const a = ctx.actor;
      if (!a) throw new Unauthenticated('Sign in first.');
      const target = (await repo.sessionsOfUser(db, a.userId, nowIso())).find((s) => s.id.startsWith(handle));
      if (!target) throw new NotFound('No such session of yours.');
      await db.transaction().execute(async (trx) => {
        await repo.deleteSession(trx, target.id);
        await audit.record(trx, ctx, { action: 'auth.session_revoke', entityType: 'session', entityId: handle });
      });
    },

    async logoutEverywhere(ctx: Ctx): Promise<void> {
      const a = ctx.actor;
      if (!a) throw new Unauthenticated('Sign in first.');
      await db.transaction().execute(async (trx) => {
        await repo.deleteSessionsOfUser(trx, a.userId);
        await audit.record(trx, ctx, { action: 'auth.logout_everywhere', entityType: 'user', entityId: a.userId });
      });
    },

    /** Changes the password, ends every other session, and rotates this one. */
    async changePassword(
      ctx: Ctx,
      input: { currentPassword: string; newPassword: string },
      meta: { ip: string | null; userAgent: string | null },
    ) {
      const actor = ctx.actor;
      if (!actor?.sessionId) throw new Unauthenticated('Sign in first.');
      const data = ChangePasswordInput.parse(input);
      const u = await accounts.byId(actor.userId);
      if (!u?.password_hash || !(await verifyPassword(u.password_hash, data.currentPassword))) {
        throw new Invalid('The current password is wrong.', [
          { path: 'body.currentPassword', message: 'is wrong', code: 'password.wrong' },
        ]);
      }
      if (data.newPassword === data.currentPassword) {
        throw new Invalid('The new password must differ from the current one.', [
          { path: 'body.newPassword', message: 'must differ from the current password', code: 'password.unchanged' },
        ]);
      }
      const weak = passwordProblem(data.newPassword, u.email);
      if (weak)
        throw new Invalid(`The new password ${weak.message}.`, [
          { path: 'body.newPassword', message: weak.message, code: weak.code },
        ]);
      const hash = await hashPassword(data.newPassword);
      await db.transaction().execute(async (trx) => {
        await accounts.setPassword(trx, actor.userId, hash, false);
        await repo.deleteSessionsOfUser(trx, actor.userId);
        await audit.record(trx, ctx, { action: 'auth.change_password', entityType: 'user', entityId: actor.userId });
      });
      const session = await newSession(actor.userId, meta, false);
      const next = await actorFor(actor.userId, { sessionId: session.id, mfaPending: false });
      if (!next) throw new Unauthenticated('Sign in first.');
      return { token: session.token, me: await me(next), maxAgeSeconds: session.maxAgeSeconds };
    },

    // --- TOTP enrolment -------------------------------------------------------------------------------

    async enrollTotp(ctx: Ctx) {
      const a = ctx.actor;
      if (a?.via !== 'session') throw new Forbidden('Enrol from a signed-in browser session.');
      const existing = await repo.findMfa(db, a.userId);
      if (existing?.enabled_at)
        throw new Invalid('Two-factor sign-in is already on; turn it off first to enrol a new device.');
      const secret = new Secret({ size: 20 });
      await repo.saveMfa(db, {
        user_id: a.userId,
        totp_secret: secrets.seal(secret.base32),
        enabled_at: null,
        last_used_step: null,
        created_at: nowIso(),
      });
      const uri = totpFor(a.email, secret.base32).toString();
      const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return { secret: secret.base32, otpauthUri: uri, qrSvg };
    },

    async confirmTotp(ctx: Ctx, code: string) {
      const a = ctx.actor;
      if (a?.via !== 'session') throw new Forbidden('Enrol from a signed-in browser session.');
      const mfa = await repo.findMfa(db, a.userId);
      if (!mfa || mfa.enabled_at) throw new Invalid('Start the enrolment first.');
      if (!(await checkSecondFactor(a.userId, a.email, code, false))) {
        throw new Invalid('The code does not match; check the time on your phone and try the next code.', [
          { path: 'body.code', message: 'does not match', code: 'mfa.invalid_code' },
        ]);
      }
      const codes = Array.from({ length: 10 }, () => newToken(8).replace(/[-_]/g, 'x').toLowerCase().slice(0, 10));
      const pretty = codes.map((c) => `${c.slice(0, 5)}-${c.slice(5)}`);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('user_mfa').set({ enabled_at: nowIso() }).where('user_id', '=', a.userId).execute();
        await repo.replaceRecoveryCodes(
          trx,
          a.userId,
          pretty.map((c) => ({ id: newId(), code_hash: sha256Hex(c) })),
        );
        await audit.record(trx, ctx, { action: 'auth.mfa_enabled', entityType: 'user', entityId: a.userId });
      });
      return { recoveryCodes: pretty };
    },

    async disableTotp(ctx: Ctx, password: string, code: string) {
      const a = ctx.actor;
      if (a?.via !== 'session') throw new Forbidden('Turn two-factor sign-in off from a signed-in browser session.');
      if ((await mfaRequiredRoles()).includes(a.role)) {
        throw new Forbidden('Your role must use two-step verification: it cannot be turned off.', [
          { path: 'body', message: 'two-step verification is required for your role', code: 'mfa.required_by_policy' },
        ]);
      }
      const u = await accounts.byId(a.userId);
      if (!u?.password_hash || !(await verifyPassword(u.password_hash, password))) {
        throw new Invalid('The password is wrong.', [
          { path: 'body.password', message: 'is wrong', code: 'password.wrong' },
        ]);
      }
      if (!(await checkSecondFactor(a.userId, a.email, code, true)))
        throw new Invalid('The code is not valid.', [
          { path: 'body.code', message: 'is not valid', code: 'mfa.invalid_code' },
        ]);
      await db.transaction().execute(async (trx) => {
        await repo.deleteMfa(trx, a.userId);
        await audit.record(trx, ctx, { action: 'auth.mfa_disabled', entityType: 'user', entityId: a.userId });
      });
      const next = await actorFor(a.userId, { sessionId: a.sessionId, mfaPending: false });
      if (!next) throw new Unauthenticated('Sign in first.');
      return me(next);
    },

    // --- API tokens ---------------------------------------------------------------------------------

    async listTokens(ctx: Ctx) {
      const a = ctx.actor;
      if (!a) throw new Unauthenticated('Sign in first.');
      return { items: (await repo.tokensOfUser(db, a.userId)).map(toApiToken) };
    },

    /** A token for the caller, from a browser session (a token cannot mint tokens). */
    async createToken(ctx: Ctx, input: { name: string; scope?: 'read' | 'write'; expiresDays?: number | null }) {
      const a = ctx.actor;
      if (!a) throw new Unauthenticated('Sign in first.');
      if (a.via !== 'session')
        throw new Forbidden('API tokens are made from a signed-in session or the CLI, not with another token.');
      return mintToken(ctx, a.userId, input);
    },

    /** A token for any user, by an administrator or the CLI (`outpost token create`). */
    async createTokenForUser(
      ctx: Ctx,
      email: string,
      input: { name: string; scope?: 'read' | 'write'; expiresDays?: number | null },
    ) {
      assertCan(ctx, 'user.manage');
      const u = await accounts.byEmail(email.trim().toLowerCase());
      if (!u) throw new NotFound(`No user with e-mail ${email}.`);
      return mintToken(ctx, u.id, input);
    },

    async revokeToken(ctx: Ctx, id: string) {
      const a = ctx.actor;
      if (!a) throw new Unauthenticated('Sign in first.');
      await db.transaction().execute(async (trx) => {
        if (!(await repo.revokeToken(trx, id, a.userId, nowIso())))
          throw new NotFound('No such active token of yours.');
        await audit.record(trx, ctx, { action: 'auth.token_revoke', entityType: 'api_token', entityId: id });
      });
    },

    // --- policy ---------------------------------------------------------------------------------------

    async getSecurityPolicy(ctx: Ctx) {
      assertCan(ctx, 'policy.manage');
      return { mfaRequiredRoles: await mfaRequiredRoles() };
    },

    async setSecurityPolicy(ctx: Ctx, input: { mfaRequiredRoles: Role[] }) {
      assertCan(ctx, 'policy.manage');
      const data = SecurityPolicyInput.parse(input);
      const roles = [...new Set(data.mfaRequiredRoles)].sort();
      const before = await mfaRequiredRoles();
      await db.transaction().execute(async (trx) => {
        await system.setSetting(trx, MFA_POLICY_KEY, JSON.stringify(roles));
        await audit.record(trx, ctx, {
          action: 'policy.update',
          entityType: 'security_policy',
          changes: { mfaRequiredRoles: [before, roles] },
        });
      });
      policyCache = undefined;
      return { mfaRequiredRoles: roles };
    },

    async purgeExpired(): Promise<void> {
      const now = clock.now();
      await repo.deleteExpired(
        db,
        now.toISOString(),
        new Date(now.getTime() - sessions.idleMinutes * 60_000).toISOString(),
      );
    },
  };
}
