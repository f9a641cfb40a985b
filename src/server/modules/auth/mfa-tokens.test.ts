import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, makeUser, signedInAs, signIn, TEST_PASSWORD } from '../../../../test/factories.ts';
import { testEngines } from '../../../../test/test-db.ts';
import { systemCtx } from '../../lib/auth.ts';
import { passwordProblem } from '../../lib/password-policy.ts';
import { THROTTLE } from './auth.service.ts';

const cookieOf = (res: { cookies: { name: string; value: string }[] }) => ({
  cookie: `outpost_session=${res.cookies.find((c) => c.name === 'outpost_session')?.value}`,
});

describe.each(testEngines())('identity on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(engine);
    await makeOffice(t.services, { code: 'IDN' });
  });
  afterAll(() => t.close());

  const login = (email: string, password: string, ip = '203.0.113.7') =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });

  it('throttles guessing per account and IP, never locks the owner out for good', async () => {
    const user = await makeUser(t.services, 'staff', ['IDN']);
    for (let i = 0; i < THROTTLE.perAccountIp; i++)
      expect((await login(user.email, 'wrong guess here')).statusCode).toBe(401);
    const blocked = await login(user.email, TEST_PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // The owner, from another address, still gets in.
    expect((await login(user.email, TEST_PASSWORD, '198.51.100.20')).statusCode).toBe(200);
    // And once the window has passed, from the first address too.
    t.clock.advance(THROTTLE.windowMs + 1000);
    expect((await login(user.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('slows an account attacked from many addresses to one try per spacing, not forever', async () => {
    const user = await makeUser(t.services, 'staff', ['IDN']);
    for (let i = 0; i < THROTTLE.perAccount; i++) await login(user.email, 'wrong guess here', `192.0.2.${i + 1}`);
    expect((await login(user.email, TEST_PASSWORD, '192.0.2.200')).statusCode).toBe(429);
    t.clock.advance(THROTTLE.accountSpacingMs + 1000);
    expect((await login(user.email, TEST_PASSWORD, '192.0.2.200')).statusCode).toBe(200);
  });

  it('enrols TOTP, then asks for the code at sign-in; codes cannot be replayed; recovery codes work once', async () => {
    const user = await makeUser(t.services, 'security_officer', ['IDN']);
    const headers = await signIn(t, user.email);
    const enrol = await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/totp/enroll', headers });
    expect(enrol.statusCode).toBe(200);
    const { secret, otpauthUri, qrSvg } = enrol.json();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Outpost:/);
    expect(qrSvg).toMatch(/^<svg/);
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
    const code = () => totp.generate({ timestamp: t.clock.now().getTime() });

    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/mfa/totp/confirm',
          headers,
          payload: { code: '000000' },
        })
      ).statusCode,
    ).toBe(400);
    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/totp/confirm',
      headers,
      payload: { code: code() },
    });
    expect(confirm.statusCode).toBe(200);
    const { recoveryCodes } = confirm.json();
    expect(recoveryCodes).toHaveLength(10);

    t.clock.advance(30_000);
    const first = await login(user.email, TEST_PASSWORD, '10.9.9.9');
    expect(first.json()).toMatchObject({ mfaPending: true, offices: [], permissions: [] });
    const pending = cookieOf(first);
    expect((await t.app.inject({ url: '/api/v1/offices', headers: pending })).statusCode).toBe(401);
    const current = code();
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/verify',
      headers: pending,
      payload: { code: current },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().mfaPending).toBe(false);
    const full = cookieOf(ok);
    expect(full.cookie).not.toBe(pending.cookie);
    expect((await t.app.inject({ url: '/api/v1/offices', headers: full })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/offices', headers: pending })).statusCode).toBe(401);

    // Same code again in a new sign-in: refused (replay).
    const again = cookieOf(await login(user.email, TEST_PASSWORD, '10.9.9.9'));
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/mfa/verify',
          headers: again,
          payload: { code: current },
        })
      ).statusCode,
    ).toBe(400);
    // A recovery code works, once.
    const viaRecovery = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/verify',
      headers: again,
      payload: { code: recoveryCodes[0] },
    });
    expect(viaRecovery.statusCode).toBe(200);
    const third = cookieOf(await login(user.email, TEST_PASSWORD, '10.9.9.9'));
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/mfa/verify',
          headers: third,
          payload: { code: recoveryCodes[0] },
        })
      ).statusCode,
    ).toBe(400);

    // The seed is stored sealed, never in clear.
    const row = await t.db.database.db
      .selectFrom('user_mfa')
      .selectAll()
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    expect(row?.totp_secret).not.toContain(secret);
  });

  it('accepts a TOTP code one step early or late (clock skew), not two', async () => {
    const user = await makeUser(t.services, 'security_officer', ['IDN']);
    const headers = await signIn(t, user.email);
    const { secret } = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/totp/enroll', headers })).json();
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
    const at = (offsetSteps: number) => totp.generate({ timestamp: t.clock.now().getTime() + offsetSteps * 30_000 });
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/totp/confirm', headers, payload: { code: at(0) } }))
        .statusCode,
    ).toBe(200);
    const verify = async (code: string) => {
      t.clock.advance(90_000); // a fresh step each time, so no code counts as a replay
      const pending = cookieOf(await login(user.email, TEST_PASSWORD, '10.8.8.8'));
      return (
        await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: pending, payload: { code } })
      ).statusCode;
    };
    t.clock.advance(90_000);
    const minusTwo = at(-2);
    const minusOne = at(-1);
    const plusOne = at(1);
    const plusTwo = at(2);
    t.clock.advance(-90_000);
    expect(await verify(minusTwo)).toBe(400);
    t.clock.advance(-90_000);
    expect(await verify(minusOne)).toBe(200);
    t.clock.advance(-90_000);
    expect(await verify(plusTwo)).toBe(400);
    t.clock.advance(-90_000);
    expect(await verify(plusOne)).toBe(200);
  });

  it('gives a new session token at every sign-in (no session fixation)', async () => {
    const user = await makeUser(t.services, 'staff', ['IDN']);
    const planted = 'outpost_session=attacker-chosen-value-0000000000000000000000';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { cookie: planted },
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    const issued = cookieOf(res).cookie;
    expect(issued).not.toBe(planted);
    const again = cookieOf(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { cookie: issued },
        payload: { email: user.email, password: TEST_PASSWORD },
      }),
    ).cookie;
    expect(again).not.toBe(issued);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: planted } })).statusCode).toBe(401);
  });

  it('requires enrolment when the policy says so for the role', async () => {
    const admin = await signedInAs(t, 'admin');
    const set = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/security-policy',
      headers: admin.headers,
      payload: { mfaRequiredRoles: ['head_of_office'] },
    });
    expect(set.json()).toEqual({ mfaRequiredRoles: ['head_of_office'] });
    const head = await signedInAs(t, 'head_of_office', ['IDN']);
    const me = (await t.app.inject({ url: '/api/v1/auth/me', headers: head.headers })).json();
    expect(me.mfaEnrollmentRequired).toBe(true);
    expect((await t.app.inject({ url: '/api/v1/offices', headers: head.headers })).statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/totp/enroll', headers: head.headers })).statusCode,
    ).toBe(200);
    await t.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/security-policy',
      headers: admin.headers,
      payload: { mfaRequiredRoles: [] },
    });
  });

  it('API tokens: Bearer works, read scope cannot write, revoked and expired tokens fail, a token cannot mint tokens', async () => {
    const { headers, user } = await signedInAs(t, 'admin');
    const mk = async (payload: object) =>
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers, payload })).json();
    const read = await mk({ name: 'reporting', scope: 'read' });
    const write = await mk({ name: 'sync', scope: 'write', expiresDays: 1 });
    expect(read.token).toMatch(/^opt_/);
    const bearer = (tok: string) => ({ authorization: `Bearer ${tok}` });
    expect((await t.app.inject({ url: '/api/v1/offices', headers: bearer(read.token) })).statusCode).toBe(200);
    const office = { code: 'TOK', name: 'Via token', countries: ['GE'], timezone: 'UTC' };
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/offices', headers: bearer(read.token), payload: office }))
        .statusCode,
    ).toBe(403);
    // No CSRF check for bearer tokens (no cookie, no ambient authority).
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/offices',
          headers: { ...bearer(write.token), origin: 'https://elsewhere.example' },
          payload: office,
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/tokens',
          headers: bearer(write.token),
          payload: { name: 'x' },
        })
      ).statusCode,
    ).toBe(403);
    const list = (await t.app.inject({ url: '/api/v1/auth/tokens', headers })).json();
    expect(list.items.map((i: { name: string }) => i.name).sort()).toEqual(['reporting', 'sync']);
    expect(JSON.stringify(list)).not.toContain(read.token);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${read.apiToken.id}`, headers })).statusCode,
    ).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/offices', headers: bearer(read.token) })).statusCode).toBe(401);
    t.clock.advance(2 * 86_400_000);
    expect((await t.app.inject({ url: '/api/v1/offices', headers: bearer(write.token) })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/offices', headers: bearer('opt_forged') })).statusCode).toBe(401);
    const { token } = await t.services.auth.createTokenForUser(systemCtx, user.email, { name: 'cli' });
    expect((await t.app.inject({ url: '/api/v1/offices', headers: bearer(token) })).statusCode).toBe(200);
  });

  it('lists my sessions and signs one out; never another user’s', async () => {
    const user = await makeUser(t.services, 'staff', ['IDN']);
    const laptop = await signIn(t, user.email);
    const phone = await signIn(t, user.email);
    const list = (await t.app.inject({ url: '/api/v1/auth/sessions', headers: laptop })).json();
    expect(list.items).toHaveLength(2);
    expect(list.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const other = list.items.find((s: { current: boolean }) => !s.current);
    const stranger = await signedInAs(t, 'staff', ['IDN']);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${other.id}`, headers: stranger.headers }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${other.id}`, headers: laptop })).statusCode,
    ).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: phone })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: laptop })).statusCode).toBe(200);
  });

  it('signs out everywhere', async () => {
    const user = await makeUser(t.services, 'staff', ['IDN']);
    const a = await signIn(t, user.email);
    const b = await signIn(t, user.email);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: a })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: b })).statusCode).toBe(401);
  });
});

describe('password policy', () => {
  it('refuses common passwords, padded common ones, repeats and the e-mail', () => {
    expect(passwordProblem('123qweasdzxc')?.code).toBe('password.common');
    expect(passwordProblem('password12345678')?.code).toBe('password.common_padded');
    expect(passwordProblem('abcabcabcabc')?.code).toBe('password.repeated');
    expect(passwordProblem('nino.example-2026!', 'nino.example@demo.org')?.code).toBe('password.contains_email');
    expect(passwordProblem('violet tractor unfolds quietly')).toBeNull();
  });
});
