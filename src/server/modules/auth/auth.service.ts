import type { Kysely } from 'kysely';
import type { Me } from '../../../shared/auth/auth.schemas.ts';
import { ChangePasswordInput } from '../../../shared/auth/auth.schemas.ts';
import { ROLE_PERMISSIONS, type Role } from '../../../shared/permissions.ts';
import type { DB } from '../../db/schema.ts';
import { type Actor, type Ctx, isCrossOffice } from '../../lib/auth.ts';
import type { Clock } from '../../lib/clock.ts';
import { Invalid, Unauthenticated } from '../../lib/errors.ts';
import { newToken, sha256Hex } from '../../lib/ids.ts';
import { dummyHash, hashPassword, verifyPassword } from '../../lib/passwords.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { UserService } from '../users/users.service.ts';
import * as repo from './auth.repository.ts';

export interface SessionPolicy {
  idleMinutes: number;
  maxHours: number;
}

export type AuthService = ReturnType<typeof createAuthService>;

/** Minimal sign-in for the foundation: password + opaque session token (hashed at rest). Issue #3 extends it. */
export function createAuthService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  users: UserService;
  sessions: SessionPolicy;
}) {
  const { db, clock, audit, sessions } = deps;
  const accounts = deps.users.accounts;
  const TOUCH_EVERY_MS = 60_000;

  async function actorFor(userId: string, sessionId: string | null): Promise<Actor | null> {
    const u = await accounts.byId(userId);
    if (!u || u.is_disabled === 1) return null;
    const role = u.role as Role;
    const offices = await accounts.officesOf(u.id);
    return {
      userId: u.id,
      personId: u.person_id,
      email: u.email,
      displayName: u.display_name,
      role,
      officeIds: offices.map((o) => o.id),
      allOffices: isCrossOffice(role),
      mustChangePassword: u.must_change_password === 1,
      sessionId,
    };
  }

  async function me(actor: Actor): Promise<Me> {
    const u = await accounts.byId(actor.userId);
    const offices = actor.allOffices ? await accounts.allOffices() : await accounts.officesOf(actor.userId);
    return {
      userId: actor.userId,
      personId: actor.personId,
      email: actor.email,
      displayName: actor.displayName,
      role: actor.role,
      language: (u?.language as Me['language']) ?? null,
      mustChangePassword: actor.mustChangePassword,
      offices,
      allOffices: actor.allOffices,
      permissions: [...ROLE_PERMISSIONS[actor.role]],
    };
  }

  return {
    async login(ctx: Ctx, email: string, password: string, meta: { ip: string | null; userAgent: string | null }) {
      const u = await accounts.byEmail(email);
      let ok = false;
      if (u?.password_hash) ok = await verifyPassword(u.password_hash, password);
      else await verifyPassword(await dummyHash(), password); // same work whether or not the account exists
      if (!u || !ok || u.is_disabled === 1) {
        await db.transaction().execute((trx) =>
          audit.record(trx, ctx, {
            action: 'auth.login_failed',
            entityType: 'user',
            entityId: u?.id ?? null,
            actorLabel: email,
          }),
        );
        throw new Unauthenticated('Wrong e-mail or password.');
      }
      const token = newToken();
      const now = clock.now();
      const id = sha256Hex(token);
      await db.transaction().execute(async (trx) => {
        await repo.insertSession(trx, {
          id,
          user_id: u.id,
          created_at: now.toISOString(),
          last_seen_at: now.toISOString(),
          expires_at: new Date(now.getTime() + sessions.maxHours * 3_600_000).toISOString(),
          ip: meta.ip,
          user_agent: meta.userAgent?.slice(0, 300) ?? null,
        });
        await audit.record(
          trx,
          { ...ctx, actor: null },
          { action: 'auth.login', entityType: 'user', entityId: u.id, actorLabel: u.email },
        );
      });
      const actor = await actorFor(u.id, id);
      if (!actor) throw new Unauthenticated('Wrong e-mail or password.');
      return { token, me: await me(actor), maxAgeSeconds: sessions.maxHours * 3600 };
    },

    /** The actor behind a session token, or null when it is unknown, expired or idle too long. */
    async resolve(token: string): Promise<Actor | null> {
      if (!token || token.length > 200) return null;
      const id = sha256Hex(token);
      const s = await repo.findSession(db, id);
      if (!s) return null;
      const now = clock.now();
      const idleLimit = new Date(now.getTime() - sessions.idleMinutes * 60_000).toISOString();
      if (s.expires_at <= now.toISOString() || s.last_seen_at < idleLimit) {
        await repo.deleteSession(db, id);
        return null;
      }
      if (now.getTime() - Date.parse(s.last_seen_at) > TOUCH_EVERY_MS)
        await repo.touchSession(db, id, now.toISOString());
      return actorFor(s.user_id, id);
    },

    async logout(ctx: Ctx, token: string | undefined): Promise<void> {
      if (!token) return;
      const id = sha256Hex(token);
      const s = await repo.findSession(db, id);
      if (!s) return;
      await db.transaction().execute(async (trx) => {
        await repo.deleteSession(trx, id);
        await audit.record(trx, ctx, { action: 'auth.logout', entityType: 'user', entityId: s.user_id });
      });
    },

    me,

    async changePassword(ctx: Ctx, input: { currentPassword: string; newPassword: string }): Promise<Me> {
      const actor = ctx.actor;
      if (!actor) throw new Unauthenticated('Sign in first.');
      const data = ChangePasswordInput.parse(input);
      const u = await accounts.byId(actor.userId);
      if (!u?.password_hash || !(await verifyPassword(u.password_hash, data.currentPassword))) {
        throw new Invalid('The current password is wrong.', [{ path: 'body.currentPassword', message: 'is wrong' }]);
      }
      if (data.newPassword === data.currentPassword) {
        throw new Invalid('The new password must differ from the current one.', [
          { path: 'body.newPassword', message: 'must differ from the current password' },
        ]);
      }
      const hash = await hashPassword(data.newPassword);
      await db.transaction().execute(async (trx) => {
        await accounts.setPassword(trx, actor.userId, hash, false);
        await audit.record(trx, ctx, { action: 'auth.change_password', entityType: 'user', entityId: actor.userId });
      });
      return me({ ...actor, mustChangePassword: false });
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
