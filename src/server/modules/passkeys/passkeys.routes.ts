import * as c from '../../../shared/passkeys/passkeys.contract.ts';
import { type RouteRegistrar, SESSION_COOKIE } from '../../lib/route.ts';

export const registerPasskeyRoutes: RouteRegistrar = (route, { passkeys }, config) => {
  route(c.listPasskeys, ({ ctx }) => passkeys.list(ctx));
  route(c.passkeyRegisterOptions, ({ ctx }) => passkeys.registrationOptions(ctx));
  route(c.passkeyRegisterVerify, ({ ctx, body }) => passkeys.register(ctx, body.name, body.credential));
  route(c.deletePasskey, ({ ctx, params }) => passkeys.remove(ctx, params.id));
  route(c.passkeyLoginOptions, ({ ctx }) => passkeys.loginOptions(ctx));
  route(c.passkeyLoginVerify, async ({ ctx, body, req, reply }) => {
    const s = await passkeys.login(ctx, body.credential, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
    reply.setCookie(SESSION_COOKIE, s.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.cookieSecure,
      maxAge: s.maxAgeSeconds,
    });
    return s.me;
  });
};
