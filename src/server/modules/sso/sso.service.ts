import type { Kysely } from 'kysely';
import * as oidc from 'openid-client';
import { EmailSchema, RoleSchema } from '../../../shared/auth/auth.schemas.ts';
import { OfficeCodeSchema } from '../../../shared/offices/offices.schemas.ts';
import type { Role } from '../../../shared/permissions.ts';
import type { SsoError } from '../../../shared/sso/sso.contract.ts';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/schema.ts';
import type { Ctx } from '../../lib/auth.ts';
import type { Clock } from '../../lib/clock.ts';
import { Forbidden, Invalid, NotFound } from '../../lib/errors.ts';
import type { SecretBox } from '../../lib/secrets.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { AuthService } from '../auth/auth.service.ts';
import type { UserService } from '../users/users.service.ts';

/** What the browser carries between start and callback, sealed (encrypted and authenticated) in a cookie. */
interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  exp: number;
}

const PENDING_MS = 10 * 60_000;

export type SsoService = ReturnType<typeof createSsoService>;

/** Why single sign-on failed, as a stable code the sign-in page translates (`/login?sso_error=<code>`). */
export function ssoCode(code: SsoError) {
  return [{ path: 'sso', message: code, code: `sso.${code}` }];
}

/**
 * Single sign-on with OpenID Connect (authorization code + PKCE, via openid-client). Users are matched
 * by verified e-mail and created on first sign-in; role and offices come from claims
 * (OIDC_ROLE_CLAIM, OIDC_OFFICES_CLAIM) on every sign-in, so HQ's directory stays the source of truth.
 */
export function createSsoService(deps: {
  config: Config;
  clock: Clock;
  secrets: SecretBox;
  audit: AuditService;
  auth: AuthService;
  users: UserService;
  db: Kysely<DB>;
}) {
  const { config, clock, secrets, audit, auth, users, db } = deps;
  const enabled = Boolean(config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET);
  let discovered: Promise<oidc.Configuration> | undefined;
  const redirectUri = `${config.baseUrl}/api/v1/auth/oidc/callback`;

  function configuration(): Promise<oidc.Configuration> {
    if (!enabled || !config.OIDC_ISSUER || !config.OIDC_CLIENT_ID)
      throw new NotFound('Single sign-on is not configured.');
    discovered ??= oidc
      .discovery(
        new URL(config.OIDC_ISSUER),
        config.OIDC_CLIENT_ID,
        config.OIDC_CLIENT_SECRET,
        undefined,
        config.OIDC_ISSUER.startsWith('http://') ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        discovered = undefined; // try again next time: the provider may just be down
        throw err;
      });
    return discovered;
  }

  return {
    info() {
      return { enabled, label: enabled ? config.OIDC_LABEL : null };
    },

    async start(returnTo: string | undefined): Promise<{ url: string; cookie: string }> {
      const c = await configuration();
      const pending: Pending = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        verifier: oidc.randomPKCECodeVerifier(),
        returnTo: returnTo ?? '/',
        exp: clock.now().getTime() + PENDING_MS,
      };
      const url = oidc.buildAuthorizationUrl(c, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, cookie: secrets.seal(JSON.stringify(pending)) };
    },

    /** Checks the provider's answer against the pending cookie, maps claims, signs the user in. */
    async callback(
      ctx: Ctx,
      currentUrl: URL,
      sealed: string | undefined,
      meta: { ip: string | null; userAgent: string | null },
    ) {
      let pending: Pending;
      try {
        pending = JSON.parse(secrets.open(sealed ?? '')) as Pending;
      } catch {
        throw new Invalid('The sign-in took too long or was started elsewhere; start again.', ssoCode('expired'));
      }
      if (pending.exp < clock.now().getTime())
        throw new Invalid('The sign-in took too long; start again.', ssoCode('expired'));
      const c = await configuration();
      const tokens = await oidc.authorizationCodeGrant(c, currentUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims: Record<string, unknown> = tokens.claims() ?? {};
      const email = EmailSchema.safeParse(claims.email);
      if (!email.success || claims.email_verified === false)
        throw new Forbidden('The identity provider gave no verified e-mail address.', ssoCode('no_verified_email'));
      const roleClaim = RoleSchema.safeParse(claims[config.OIDC_ROLE_CLAIM]);
      const role: Role | undefined = roleClaim.success ? roleClaim.data : config.OIDC_DEFAULT_ROLE;
      if (!role) {
        await db.transaction().execute((trx) =>
          audit.record(trx, ctx, {
            action: 'auth.sso_refused',
            entityType: 'user',
            actorLabel: email.data,
            changes: { reason: 'no role claim' },
          }),
        );
        throw new Forbidden(
          `Your account has no Outpost role (claim ${config.OIDC_ROLE_CLAIM}); ask HQ to grant one.`,
          ssoCode('no_role'),
        );
      }
      const rawOffices = claims[config.OIDC_OFFICES_CLAIM];
      const officeCodes = (
        Array.isArray(rawOffices) ? rawOffices : typeof rawOffices === 'string' ? rawOffices.split(/[\s,]+/) : []
      )
        .map((o) => OfficeCodeSchema.safeParse(o))
        .filter((r) => r.success)
        .map((r) => r.data);
      const name = typeof claims.name === 'string' ? claims.name : undefined;
      const user = await users.upsertFromSso(ctx, {
        email: email.data,
        role,
        officeCodes,
        displayName: name,
        subject: String(claims.sub),
      });
      const session = await auth.startSession(ctx, user.id, meta, 'sso');
      return { ...session, returnTo: pending.returnTo };
    },
  };
}
