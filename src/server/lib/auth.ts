import { CROSS_OFFICE_ROLES, type Permission, type Role, roleCan } from '../../shared/permissions.ts';
import { Forbidden, NotFound } from './errors.ts';

/** Who is calling. Built once per request from the session; services receive it in the context. */
export interface Actor {
  userId: string;
  personId: string;
  email: string;
  displayName: string;
  role: Role;
  officeIds: readonly string[];
  /** Sees every office (admin, HQ security, auditor). */
  allOffices: boolean;
  mustChangePassword: boolean;
  /** Password checked, second factor still due. */
  mfaPending: boolean;
  mfaEnabled: boolean;
  /** Policy requires MFA for the role and the user has none yet. */
  mfaEnrollmentRequired: boolean;
  sessionId: string | null;
  /** How the caller authenticated: a browser session, or an API token (with its scope). */
  via: 'session' | 'token';
  tokenScope: 'read' | 'write' | null;
}

/** What every service call carries: the actor (or none for system work) and the request id for the audit trail. */
export interface Ctx {
  actor: Actor | null;
  requestId: string | null;
}

export const systemCtx: Ctx = { actor: null, requestId: null };

/** The one place permissions are checked. `null` actor is the system itself (CLI, scheduler). */
export function assertCan(ctx: Ctx, permission: Permission): void {
  const a = ctx.actor;
  if (a && !roleCan(a.role, permission)) throw new Forbidden(`Your role (${a.role}) may not ${permission}.`);
}

export function canSeeOffice(ctx: Ctx, officeId: string): boolean {
  const a = ctx.actor;
  return !a || a.allOffices || a.officeIds.includes(officeId);
}

/** Records of offices the caller cannot see do not exist for them: 404, not 403, so nothing leaks. */
export function assertOffice(ctx: Ctx, officeId: string, what = 'office'): void {
  if (!canSeeOffice(ctx, officeId)) throw new NotFound(`No such ${what}.`);
}

export function isCrossOffice(role: Role): boolean {
  return CROSS_OFFICE_ROLES.includes(role);
}

/** Offices visible to the caller: `undefined` means all. */
export function visibleOfficeIds(ctx: Ctx): readonly string[] | undefined {
  const a = ctx.actor;
  return !a || a.allOffices ? undefined : a.officeIds;
}
