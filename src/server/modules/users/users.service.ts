import type { Kysely } from 'kysely';
import { z } from 'zod';
import { EmailSchema, NewPasswordSchema, RoleSchema } from '../../../shared/auth/auth.schemas.ts';
import { OfficeCodeSchema } from '../../../shared/offices/offices.schemas.ts';
import type { Role } from '../../../shared/permissions.ts';
import type { User } from '../../../shared/users/users.schemas.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { assertCan, type Ctx, isCrossOffice, systemCtx, visibleOfficeIds } from '../../lib/auth.ts';
import { type Clock, isoNow } from '../../lib/clock.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../lib/errors.ts';
import { newId, newToken, sha256Hex } from '../../lib/ids.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import { passwordProblem } from '../../lib/password-policy.ts';
import { generateOneTimePassword, hashPassword } from '../../lib/passwords.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { OfficeService } from '../offices/offices.service.ts';
import * as repo from './users.repository.ts';

export const UserCreateInput = z.strictObject({
  email: EmailSchema,
  displayName: z.string().trim().min(1).max(200).optional(),
  role: RoleSchema,
  officeCodes: z.array(OfficeCodeSchema).default([]),
  /** Absent: a one-time password is generated and returned; the user must change it at first sign-in. */
  password: NewPasswordSchema.optional(),
});
export type UserCreateInput = z.input<typeof UserCreateInput>;

export type UserService = ReturnType<typeof createUserService>;

const RESET_VALID_MS = 24 * 3_600_000;

function toUser(r: repo.UserWithPerson, officeCodes: string[]): User {
  return {
    id: r.id,
    personId: r.person_id,
    email: r.email,
    displayName: r.display_name,
    role: r.role as Role,
    officeCodes,
    isDisabled: r.is_disabled === 1,
    mustChangePassword: r.must_change_password === 1,
    version: r.version,
    createdAt: r.created_at,
  };
}

export function createUserService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  offices: OfficeService;
  baseUrl: string;
}) {
  const { db, clock, audit, offices } = deps;

  return {
    /** Creates a person and their account. Returns the one-time password when none was given. */
    async create(ctx: Ctx, input: UserCreateInput): Promise<{ user: User; oneTimePassword: string | null }> {
      assertCan(ctx, 'user.manage');
      const parsed = UserCreateInput.safeParse(input);
      if (!parsed.success) {
        throw new Invalid(
          parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '),
          parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
      }
      const data = parsed.data;
      if (!isCrossOffice(data.role) && data.officeCodes.length === 0) {
        throw new Invalid(`A ${data.role} must belong to at least one office (--office CODE).`, [
          { path: 'officeCodes', message: 'must name at least one office' },
        ]);
      }
      const weak = data.password ? passwordProblem(data.password, data.email) : null;
      if (weak)
        throw new Invalid(`The password ${weak.message}.`, [
          { path: 'password', message: weak.message, code: weak.code },
        ]);
      const oneTimePassword = data.password ? null : generateOneTimePassword();
      const passwordHash = await hashPassword(data.password ?? (oneTimePassword as string));
      const now = isoNow(clock);
      const officeIds: string[] = [];
      for (const code of data.officeCodes) officeIds.push((await offices.getByCode(systemCtx, code)).id);
      const user = await db.transaction().execute(async (trx) => {
        if (await repo.findByEmail(trx, data.email))
          throw new Conflict(`A user with e-mail ${data.email} already exists.`);
        const personId = newId();
        const userId = newId();
        const displayName = data.displayName ?? data.email.split('@')[0] ?? data.email;
        await repo.insertPerson(trx, {
          id: personId,
          office_id: officeIds[0] ?? null,
          display_name: displayName,
          email: data.email,
          job_title: null,
          phone: null,
          version: 1,
          created_at: now,
          updated_at: now,
        });
        const row = {
          id: userId,
          person_id: personId,
          email: data.email,
          password_hash: passwordHash,
          role: data.role,
          language: null,
          must_change_password: data.password ? 0 : 1,
          is_disabled: 0,
          version: 1,
          created_at: now,
          updated_at: now,
        };
        await repo.insertUser(trx, row);
        for (const id of officeIds) await repo.addOffice(trx, userId, id);
        await audit.record(trx, ctx, {
          action: 'user.create',
          entityType: 'user',
          entityId: userId,
          officeId: officeIds[0] ?? null,
          changes: { email: data.email, role: data.role, offices: data.officeCodes },
        });
        return toUser({ ...row, display_name: displayName }, data.officeCodes);
      });
      return { user, oneTimePassword };
    },

    async list(ctx: Ctx, query: { limit: number; cursor?: string | undefined }) {
      assertCan(ctx, 'user.read');
      const rows = await repo.list(db, {
        visibleOfficeIds: visibleOfficeIds(ctx),
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      const codes = await repo.officeCodesByUser(
        db,
        rows.map((r) => r.id),
      );
      return toPage(
        rows,
        query.limit,
        (r) => r.email,
        (r) => toUser(r, codes.get(r.id) ?? []),
      );
    },

    /**
     * A one-time link to set a new password, valid for 24 hours (printed by the CLI; sent by e-mail once
     * SMTP exists). The current password keeps working until the link is used, so asking for a reset
     * cannot lock anyone out.
     */
    async resetPassword(ctx: Ctx, email: string): Promise<{ link: string; expiresAt: string }> {
      assertCan(ctx, 'user.manage');
      const normalized = EmailSchema.safeParse(email);
      if (!normalized.success) throw new Invalid(`${email} is not an e-mail address.`);
      const token = newToken();
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + RESET_VALID_MS).toISOString();
      await db.transaction().execute(async (trx) => {
        const user = await repo.findByEmail(trx, normalized.data);
        if (!user) throw new NotFound(`No user with e-mail ${normalized.data}.`);
        await repo.insertReset(trx, {
          token_hash: sha256Hex(token),
          user_id: user.id,
          created_at: now.toISOString(),
          expires_at: expiresAt,
        });
        await audit.record(trx, ctx, {
          action: 'user.reset_password_link',
          entityType: 'user',
          entityId: user.id,
          changes: { email: user.email, expiresAt },
        });
      });
      // The token rides in the fragment: browsers never send it to a server or in a Referer.
      return { link: `${deps.baseUrl}/reset-password#token=${token}`, expiresAt };
    },

    /** Uses a reset link: sets the new password, ends every session of the user. */
    async completeReset(ctx: Ctx, token: string, newPassword: string): Promise<void> {
      const now = isoNow(clock);
      const tokenHash = sha256Hex(token);
      const invalid = () =>
        new Invalid('This reset link is not valid: it expired or was used already. Ask for a new one.', [
          { path: 'body.token', message: 'is not valid', code: 'reset.invalid_token' },
        ]);
      // Check the new password before the link is used up, so a refused password does not burn it.
      const pending = await repo.findReset(db, tokenHash);
      if (!pending || pending.used_at || pending.expires_at <= now) throw invalid();
      const user = await repo.findById(db, pending.user_id);
      const weak = passwordProblem(newPassword, user?.email);
      if (weak)
        throw new Invalid(`The new password ${weak.message}.`, [
          { path: 'body.newPassword', message: weak.message, code: weak.code },
        ]);
      const hash = await hashPassword(newPassword);
      await db.transaction().execute(async (trx) => {
        const userId = await repo.consumeReset(trx, tokenHash, now);
        if (!userId) throw invalid();
        await repo.setPassword(trx, userId, hash, false, now);
        await repo.endSessions(trx, userId);
        await audit.record(trx, ctx, { action: 'user.reset_password', entityType: 'user', entityId: userId });
      });
    },

    /**
     * Single sign-on: create the account on first sign-in, and bring role and offices in line with the
     * identity provider's claims on every sign-in (audited when they change).
     */
    async upsertFromSso(
      ctx: Ctx,
      claims: { email: string; role: Role; officeCodes: string[]; displayName?: string | undefined; subject: string },
    ): Promise<{ id: string }> {
      const known: { id: string; code: string }[] = [];
      for (const code of claims.officeCodes) {
        const office = await offices.getByCode(systemCtx, code).catch(() => null);
        if (office) known.push({ id: office.id, code: office.code });
      }
      const existing = await repo.findByEmail(db, claims.email);
      if (!existing) {
        if (!isCrossOffice(claims.role) && known.length === 0) {
          throw new Forbidden('Your account names no Outpost office this installation has; ask HQ to grant one.', [
            { path: 'sso', message: 'no_office', code: 'sso.no_office' },
          ]);
        }
        const created = await this.create(systemCtx, {
          email: claims.email,
          role: claims.role,
          officeCodes: known.map((k) => k.code),
          ...(claims.displayName ? { displayName: claims.displayName } : {}),
          password: undefined,
        });
        await repo.setPassword(db, created.user.id, null, false, isoNow(clock));
        return { id: created.user.id };
      }
      if (existing.is_disabled === 1) {
        throw new Forbidden('This account is disabled in Outpost.', [
          { path: 'sso', message: 'disabled', code: 'sso.disabled' },
        ]);
      }
      const current = (await repo.officesOf(db, existing.id)).map((o) => o.code).sort();
      const wanted = known.map((k) => k.code).sort();
      if (existing.role !== claims.role || JSON.stringify(current) !== JSON.stringify(wanted)) {
        await db.transaction().execute(async (trx) => {
          await repo.setRoleAndOffices(
            trx,
            existing.id,
            claims.role,
            known.map((k) => k.id),
            isoNow(clock),
          );
          // A change of privilege ends the user's other sessions.
          await repo.endSessions(trx, existing.id);
          await audit.record(trx, ctx, {
            action: 'user.update',
            entityType: 'user',
            entityId: existing.id,
            changes: { role: [existing.role, claims.role], offices: [current, wanted], source: 'sso' },
          });
        });
      }
      return { id: existing.id };
    },

    async count(): Promise<number> {
      return repo.countUsers(db);
    },

    /** For the auth module only: account look-ups and password changes without a permission check. */
    accounts: {
      byEmail: (email: string) => repo.findByEmail(db, email),
      byId: (id: string) => repo.findById(db, id),
      officesOf: (userId: string) => repo.officesOf(db, userId),
      allOffices: () => repo.allOffices(db),
      /** Active users of an office with one of these roles, read in the caller's transaction. */
      inOfficeWithRoles: (ex: Executor, officeId: string, roles: readonly string[]) =>
        repo.idsInOfficeWithRoles(ex, officeId, roles),
      withRoles: (ex: Executor, roles: readonly string[]) => repo.idsWithRoles(ex, roles),
      setLanguage: (userId: string, language: string | null) => repo.setLanguage(db, userId, language, isoNow(clock)),
      setPassword: (ex: Executor, userId: string, hash: string, mustChange: boolean) =>
        repo.setPassword(ex, userId, hash, mustChange, isoNow(clock)),
    },
  };
}
