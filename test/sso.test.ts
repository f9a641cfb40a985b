import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './build-test-app.ts';
import { makeOffice } from './factories.ts';

/**
 * Single sign-on end to end against a real OpenID Connect provider (oidc-provider) on loopback:
 * Outpost redirects, the provider signs the user in (its development login form), redirects back, and
 * Outpost exchanges the code (PKCE), checks the ID token and maps the claims.
 */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  alice: { email: 'alice@hq.example', email_verified: true, name: 'Alice HQ', outpost_role: 'hq_security' },
  bob: {
    email: 'bob@hq.example',
    email_verified: true,
    name: 'Bob Field',
    outpost_role: 'staff',
    outpost_offices: ['SSO'],
  },
  mallory: { email: 'mallory@hq.example', email_verified: true, name: 'Mallory' },
};
const OUTPOST = 'http://localhost:3999';

describe('single sign-on (OpenID Connect)', () => {
  let server: http.Server;
  let issuer: string;
  let t: TestApp;

  beforeAll(async () => {
    server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'outpost',
          client_secret: 'a-client-secret-for-tests',
          redirect_uris: [`${OUTPOST}/api/v1/auth/oidc/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      cookies: { keys: ['test-cookie-key'] },
      claims: {
        openid: ['sub'],
        email: ['email', 'email_verified'],
        profile: ['name', 'outpost_role', 'outpost_offices'],
      },
      conformIdTokenClaims: false,
      features: { devInteractions: { enabled: true } },
      findAccount: (_ctx, id) => {
        const claims = ACCOUNTS[id];
        return claims ? { accountId: id, claims: () => ({ sub: id, ...claims }) } : undefined;
      },
    });
    provider.on('server_error', () => {});
    server.on('request', provider.callback());
    t = await buildTestApp('sqlite', {
      env: {
        BASE_URL: OUTPOST,
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: 'outpost',
        OIDC_CLIENT_SECRET: 'a-client-secret-for-tests',
      },
    });
    await makeOffice(t.services, { code: 'SSO' });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((r) => server.close(r));
  });

  /** Drives the browser's side: Outpost → provider (login, consent) → back to Outpost's callback. */
  async function signInAs(login: string) {
    const start = await t.app.inject({ url: '/api/v1/auth/oidc/start?returnTo=/offices' });
    expect(start.statusCode).toBe(302);
    const pending = start.cookies.find((c) => c.name === 'outpost_sso');
    let url = String(start.headers.location);
    expect(url.startsWith(`${issuer}/`)).toBe(true);
    expect(url).toContain('code_challenge_method=S256');
    const jar = new Map<string, string>();
    const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    for (let hop = 0; hop < 20; hop++) {
      if (url.startsWith(OUTPOST)) break;
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: cookieHeader() } });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const [k, v] = (pair ?? '').split('=');
        if (k) jar.set(k, v ?? '');
      }
      if (res.status >= 300 && res.status < 400) {
        url = new URL(String(res.headers.get('location')), url).href;
        continue;
      }
      const html = await res.text();
      const action = new URL(html.match(/action="([^"]+)"/)?.[1] ?? '', url).href;
      const prompt = html.includes('name="prompt" value="login"') ? 'login' : 'consent';
      const form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
      const post = await fetch(action, {
        method: 'POST',
        redirect: 'manual',
        body: form,
        headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      });
      url = new URL(String(post.headers.get('location')), action).href;
    }
    expect(url.startsWith(`${OUTPOST}/api/v1/auth/oidc/callback?`)).toBe(true);
    return t.app.inject({ url: url.slice(OUTPOST.length), headers: { cookie: `outpost_sso=${pending?.value}` } });
  }

  it('tells the sign-in page that SSO exists', async () => {
    expect((await t.app.inject('/api/v1/auth/oidc')).json()).toEqual({ enabled: true, label: 'HQ single sign-on' });
  });

  it('signs a new HQ user in, creating the account with the role from the claims', async () => {
    const res = await signInAs('alice');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/offices');
    const session = res.cookies.find((c) => c.name === 'outpost_session');
    const me = (
      await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: `outpost_session=${session?.value}` } })
    ).json();
    expect(me).toMatchObject({
      email: 'alice@hq.example',
      displayName: 'Alice HQ',
      role: 'hq_security',
      allOffices: true,
    });
    // No password was set: a password sign-in for this account fails.
    const pw = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'alice@hq.example', password: 'anything at all' },
    });
    expect(pw.statusCode).toBe(401);
  });

  it('maps offices from the claims and follows role changes at the next sign-in', async () => {
    const first = await signInAs('bob');
    const cookie = `outpost_session=${first.cookies.find((c) => c.name === 'outpost_session')?.value}`;
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).json()).toMatchObject({
      role: 'staff',
      offices: [{ code: 'SSO' }],
    });
    ACCOUNTS.bob = { ...ACCOUNTS.bob, outpost_role: 'security_officer' };
    const second = await signInAs('bob');
    const cookie2 = `outpost_session=${second.cookies.find((c) => c.name === 'outpost_session')?.value}`;
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: cookie2 } })).json().role).toBe(
      'security_officer',
    );
    // The change of privilege ended the older session.
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
    const audit = await t.db.database.db
      .selectFrom('audit_log')
      .select('changes')
      .where('action', '=', 'user.update')
      .execute();
    expect(audit.at(-1)?.changes).toContain('security_officer');
  });

  it('refuses a user without a role claim, and a callback without the pending cookie, sending the browser to the sign-in page', async () => {
    const refused = await signInAs('mallory');
    expect(refused.statusCode).toBe(302);
    expect(refused.headers.location).toBe('/login?sso_error=no_role');
    expect(refused.cookies.find((c) => c.name === 'outpost_session')).toBeUndefined();
    const forged = await t.app.inject({ url: '/api/v1/auth/oidc/callback?code=abc&state=xyz' });
    expect(forged.headers.location).toBe('/login?sso_error=expired');
  });

  it('rejects an open redirect in returnTo', async () => {
    const res = await t.app.inject({ url: '/api/v1/auth/oidc/start?returnTo=//evil.example/' });
    expect(res.statusCode).toBe(400);
  });
});
