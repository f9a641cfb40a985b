import type { FastifyReply, FastifyRequest } from 'fastify';
import * as c from '../../../shared/auth/auth.contract.ts';
import { Unauthenticated } from '../../lib/errors.ts';
import { type RouteRegistrar, SESSION_COOKIE } from '../../lib/route.ts';

export const registerAuthRoutes: RouteRegistrar = (route, { auth, users }, config) => {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.cookieSecure };
  const meta = (req: FastifyRequest) => ({ ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
  const setSession = (reply: FastifyReply, s: { token: string; maxAgeSeconds: number }) =>
    reply.setCookie(SESSION_COOKIE, s.token, { ...cookieOptions, maxAge: s.maxAgeSeconds });

  route(c.login, async ({ ctx, body, req, reply }) => {
    const s = await auth.login(ctx, body.email, body.password, meta(req));
    setSession(reply, s);
    return s.me;
  });

  route(c.verifyMfa, async ({ ctx, body, req, reply }) => {
    const s = await auth.verifyMfa(ctx, body.code, meta(req));
    setSession(reply, s);
    return s.me;
  });

  route(c.logout, async ({ ctx, req, reply }) => {
    await auth.logout(ctx, req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
  });

  route(c.listSessions, ({ ctx }) => auth.listSessions(ctx));
  route(c.revokeSession, ({ ctx, params }) => auth.revokeSession(ctx, params.id));

  route(c.logoutEverywhere, async ({ ctx, reply }) => {
    await auth.logoutEverywhere(ctx);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
  });

  route(c.me, async ({ ctx }) => {
    if (!ctx.actor) throw new Unauthenticated('Sign in first.');
    return auth.me(ctx.actor);
  });

  route(c.updateMe, ({ ctx, body }) => auth.updatePreferences(ctx, body));

  route(c.changePassword, async ({ ctx, body, req, reply }) => {
    const s = await auth.changePassword(ctx, body, meta(req));
    setSession(reply, s);
    return s.me;
  });

  route(c.completePasswordReset, ({ ctx, body }) => users.completeReset(ctx, body.token, body.newPassword));

  route(c.enrollTotp, ({ ctx }) => auth.enrollTotp(ctx));
  route(c.confirmTotp, ({ ctx, body }) => auth.confirmTotp(ctx, body.code));
  route(c.disableTotp, ({ ctx, body }) => auth.disableTotp(ctx, body.password, body.code));

  route(c.listTokens, ({ ctx }) => auth.listTokens(ctx));
  route(c.createToken, ({ ctx, body }) => auth.createToken(ctx, body));
  route(c.revokeToken, ({ ctx, params }) => auth.revokeToken(ctx, params.id));

  route(c.getSecurityPolicy, ({ ctx }) => auth.getSecurityPolicy(ctx));
  route(c.setSecurityPolicy, ({ ctx, body }) => auth.setSecurityPolicy(ctx, body));
};
