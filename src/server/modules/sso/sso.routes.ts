import * as c from '../../../shared/sso/sso.contract.ts';
import { SSO_ERRORS } from '../../../shared/sso/sso.contract.ts';
import { AppError } from '../../lib/errors.ts';
import { type RouteRegistrar, SESSION_COOKIE } from '../../lib/route.ts';

const PENDING_COOKIE = 'outpost_sso';

export const registerSsoRoutes: RouteRegistrar = (route, { sso }, config) => {
  const cookie = { path: '/api/v1/auth/oidc', httpOnly: true, sameSite: 'lax' as const, secure: config.cookieSecure };

  route(c.ssoInfo, async () => sso.info());

  route(c.ssoStart, async ({ query, reply }) => {
    const { url, cookie: sealed } = await sso.start(query.returnTo);
    reply.setCookie(PENDING_COOKIE, sealed, { ...cookie, maxAge: 600 });
    return reply.redirect(url, 302);
  });

  route(c.ssoCallback, async ({ ctx, req, reply }) => {
    reply.clearCookie(PENDING_COOKIE, cookie);
    try {
      if (typeof req.query === 'object' && req.query && 'error' in req.query)
        throw new Error(`provider said ${String((req.query as { error: unknown }).error)}`);
      const s = await sso.callback(ctx, new URL(req.url, config.baseUrl), req.cookies[PENDING_COOKIE], {
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
      });
      reply.setCookie(SESSION_COOKIE, s.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.cookieSecure,
        maxAge: s.maxAgeSeconds,
      });
      return reply.redirect(s.returnTo, 302);
    } catch (err) {
      // The browser is mid-redirect: send it to the sign-in page with a reason, never a raw error.
      req.log.warn({ err }, 'single sign-on failed');
      // Only a known code travels in the URL: a crafted link cannot put words on our sign-in page.
      const code =
        err instanceof AppError ? err.errors?.find((e) => e.code?.startsWith('sso.'))?.code?.slice(4) : undefined;
      const known = SSO_ERRORS.find((c) => c === code) ?? 'provider_error';
      return reply.redirect(`/login?sso_error=${known}`, 302);
    }
  });
};
