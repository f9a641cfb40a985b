import * as c from '../../../shared/auth/auth.contract.ts';
import { Unauthenticated } from '../../lib/errors.ts';
import { type RouteRegistrar, SESSION_COOKIE } from '../../lib/route.ts';

export const registerAuthRoutes: RouteRegistrar = (route, { auth }, config) => {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.cookieSecure };

  route(c.login, async ({ ctx, body, req, reply }) => {
    const { token, me, maxAgeSeconds } = await auth.login(ctx, body.email, body.password, {
      ip: req.ip,
      userAgent: req.headers['user-agent'] ?? null,
    });
    reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: maxAgeSeconds });
    return me;
  });

  route(c.logout, async ({ ctx, req, reply }) => {
    await auth.logout(ctx, req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
  });

  route(c.me, async ({ ctx }) => {
    if (!ctx.actor) throw new Unauthenticated('Sign in first.');
    return auth.me(ctx.actor);
  });

  route(c.changePassword, ({ ctx, body }) => auth.changePassword(ctx, body));
};
