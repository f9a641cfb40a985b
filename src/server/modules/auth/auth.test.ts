import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, makeUser, signIn, TEST_PASSWORD } from '../../../../test/factories.ts';
import { testEngines } from '../../../../test/test-db.ts';
import { systemCtx } from '../../lib/auth.ts';

describe.each(testEngines())('sign-in and sessions on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(engine, { env: { SESSION_IDLE_MINUTES: '30' } });
    await makeOffice(t.services, { code: 'AUT' });
  });
  afterAll(() => t.close());

  it('signs in, sets an HttpOnly SameSite cookie, answers /me, signs out', async () => {
    const user = await makeUser(t.services, 'security_officer', ['AUT']);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email.toUpperCase(), password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/outpost_session=[\w-]{43}/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(res.json()).toMatchObject({ email: user.email, role: 'security_officer', offices: [{ code: 'AUT' }] });
    const cookie = `outpost_session=${res.cookies[0]?.value}`;
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.json().permissions).toContain('site.write');
    // The token is stored only as a hash.
    const rows = await t.db.database.db.selectFrom('sessions').select('id').execute();
    expect(rows.some((r) => r.id === res.cookies[0]?.value)).toBe(false);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode).toBe(
      204,
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('refuses a wrong password or unknown account the same way, and audits the failure', async () => {
    const user = await makeUser(t.services, 'staff', ['AUT']);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: 'not the password' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@example.org', password: 'whatever' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    const failed = await t.db.database.db
      .selectFrom('audit_log')
      .select('actor_label')
      .where('action', '=', 'auth.login_failed')
      .execute();
    expect(failed.map((f) => f.actor_label)).toEqual(expect.arrayContaining([user.email, 'nobody@example.org']));
  });

  it('forces a new password after a one-time password, then lets the user in', async () => {
    const { user, oneTimePassword } = await t.services.users.create(systemCtx, {
      email: 'otp@example.org',
      role: 'security_officer',
      officeCodes: ['AUT'],
    });
    expect(user.mustChangePassword).toBe(true);
    const headers = await signIn(t, 'otp@example.org', oneTimePassword ?? '');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/offices', headers })).statusCode).toBe(403);
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/change-password',
      headers,
      payload: { currentPassword: oneTimePassword, newPassword: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    const wrongCurrent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/change-password',
      headers,
      payload: { currentPassword: 'nope', newPassword: 'a much better passphrase' },
    });
    expect(wrongCurrent.statusCode).toBe(400);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/change-password',
      headers,
      payload: { currentPassword: oneTimePassword, newPassword: 'a much better passphrase' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().mustChangePassword).toBe(false);
    // The session rotated: the old cookie is dead, the new one works.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/offices', headers })).statusCode).toBe(401);
    const rotated = { cookie: `outpost_session=${ok.cookies.find((c) => c.name === 'outpost_session')?.value}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/offices', headers: rotated })).statusCode).toBe(200);
  });

  it('ends a session after the idle time-out (clock moved, no sleeping)', async () => {
    const user = await makeUser(t.services, 'staff', ['AUT']);
    const headers = await signIn(t, user.email);
    t.clock.advance(29 * 60_000);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode).toBe(401);
  });

  it('refuses a cross-site write with a valid session cookie (CSRF)', async () => {
    const user = await makeUser(t.services, 'admin');
    const headers = await signIn(t, user.email);
    const payload = { code: 'CSR', name: 'x', countries: ['GE'], timezone: 'UTC' };
    for (const extra of [{ 'sec-fetch-site': 'cross-site' }, { origin: 'https://evil.example' }, { origin: 'null' }]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/offices',
        headers: { ...headers, ...extra },
        payload,
      });
      expect(res.statusCode, JSON.stringify(extra)).toBe(403);
    }
    const same = await t.app.inject({
      method: 'POST',
      url: '/api/v1/offices',
      headers: { ...headers, origin: 'http://localhost:3000', host: 'localhost:3000', 'sec-fetch-site': 'same-origin' },
      payload,
    });
    expect(same.statusCode).toBe(201);
  });
});

describe.each(testEngines())('password reset links on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(engine);
  });
  afterAll(() => t.close());

  it('sets a new password once, ends sessions, and leaves the old password working until used', async () => {
    const user = await makeUser(t.services, 'admin');
    const before = await signIn(t, user.email);
    const { link } = await t.services.users.resetPassword(systemCtx, user.email);
    const token = link.split('#token=')[1] ?? '';
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: before })).statusCode).toBe(200);
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { token, newPassword: 'password123456' },
    });
    expect(weak.statusCode).toBe(400);
    // The refused password did not use the link up.
    const token2 = token;
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { token: token2, newPassword: 'a fresh long passphrase' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: before })).statusCode).toBe(401);
    await signIn(t, user.email, 'a fresh long passphrase');
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { token: token2, newPassword: 'yet another passphrase' },
    });
    expect(again.statusCode).toBe(400);
    t.clock.advance(25 * 3_600_000);
    const { link: link3 } = await t.services.users.resetPassword(systemCtx, user.email);
    t.clock.advance(25 * 3_600_000);
    const expired = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { token: link3.split('#token=')[1], newPassword: 'too late passphrase' },
    });
    expect(expired.statusCode).toBe(400);
  });
});

describe('preferences', () => {
  it('lets a user choose a language, and reset it to the office default', async () => {
    const t = await buildTestApp('sqlite');
    try {
      const user = await makeUser(t.services, 'admin');
      const headers = await signIn(t, user.email);
      const fr = await t.app.inject({ method: 'PATCH', url: '/api/v1/auth/me', headers, payload: { language: 'fr' } });
      expect(fr.json().language).toBe('fr');
      expect(
        (await t.app.inject({ method: 'PATCH', url: '/api/v1/auth/me', headers, payload: { language: 'de' } }))
          .statusCode,
      ).toBe(400);
      const reset = await t.app.inject({
        method: 'PATCH',
        url: '/api/v1/auth/me',
        headers,
        payload: { language: null },
      });
      expect(reset.json().language).toBeNull();
    } finally {
      await t.close();
    }
  });
});
