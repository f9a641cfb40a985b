import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/build-test-app.ts';
import { makeOffice, makeUser, signIn, TEST_PASSWORD } from '../../../../test/factories.ts';
import { SoftAuthenticator } from '../../../../test/soft-authenticator.ts';
import { testEngines } from '../../../../test/test-db.ts';

const ORIGIN = 'http://localhost:3000';
const sessionOf = (res: { cookies: { name: string; value: string }[] }) => ({
  cookie: `outpost_session=${res.cookies.find((c) => c.name === 'outpost_session')?.value}`,
});

describe.each(testEngines())('passkeys on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(engine, { env: { BASE_URL: ORIGIN } });
    await makeOffice(t.services, { code: 'PKY' });
  });
  afterAll(() => t.close());

  async function enrol(headers: { cookie: string }, device: SoftAuthenticator) {
    const options = (
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/passkeys/register/options', headers })
    ).json();
    expect(options.rp.id).toBe('localhost');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/passkeys/register/verify',
      headers,
      payload: { name: 'Laptop', credential: device.create(options) },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  it('adds a passkey and signs in with it, without a password; a replayed response fails', async () => {
    const user = await makeUser(t.services, 'security_officer', ['PKY']);
    const device = new SoftAuthenticator(ORIGIN);
    const passkey = await enrol(await signIn(t, user.email), device);
    expect(passkey.name).toBe('Laptop');

    const options = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/passkeys/login/options' })).json();
    expect(options.userVerification).toBe('required');
    const credential = device.get(options);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/passkeys/login/verify',
      payload: { credential },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ email: user.email, mfaPending: false });
    expect((await t.app.inject({ url: '/api/v1/offices', headers: sessionOf(ok) })).statusCode).toBe(200);

    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/passkeys/login/verify',
      payload: { credential },
    });
    expect(replay.statusCode).toBe(401);
  });

  it('refuses a response made for another origin, and a key nobody registered', async () => {
    const user = await makeUser(t.services, 'staff', ['PKY']);
    const device = new SoftAuthenticator(ORIGIN);
    await enrol(await signIn(t, user.email), device);
    const options = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/passkeys/login/options' })).json();
    const phished = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/passkeys/login/verify',
      payload: { credential: device.get(options, { origin: 'http://evil.example' }) },
    });
    expect(phished.statusCode).toBe(401);
    const stranger = new SoftAuthenticator(ORIGIN);
    stranger.create({ challenge: 'x', user: { id: 'someone' } });
    const options2 = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/passkeys/login/options' })).json();
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/passkeys/login/verify',
      payload: { credential: stranger.get(options2) },
    });
    expect(unknown.statusCode).toBe(401);
    const garbage = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/passkeys/login/verify',
      payload: { credential: { id: 'x', rawId: 'x', type: 'public-key', response: { clientDataJSON: '!!!' } } },
    });
    expect(garbage.statusCode).toBe(400);
  });

  it('serves as the second factor after a password when TOTP is on', async () => {
    const user = await makeUser(t.services, 'security_officer', ['PKY']);
    const headers = await signIn(t, user.email);
    const device = new SoftAuthenticator(ORIGIN);
    await enrol(headers, device);
    // Turn TOTP on so that sign-in asks for a second factor.
    const { Secret, TOTP } = await import('otpauth');
    const { secret } = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/totp/enroll', headers })).json();
    const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: t.clock.now().getTime() });
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/totp/confirm', headers, payload: { code } }))
        .statusCode,
    ).toBe(200);

    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    const pending = sessionOf(first);
    expect(first.json().mfaPending).toBe(true);
    const options = (
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/passkeys/login/options', headers: pending })
    ).json();
    expect(options.allowCredentials).toHaveLength(1);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/passkeys/login/verify',
      headers: pending,
      payload: { credential: device.get(options) },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().mfaPending).toBe(false);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: pending })).statusCode).toBe(401);
    const list = (await t.app.inject({ url: '/api/v1/auth/passkeys', headers: sessionOf(ok) })).json();
    expect(list.items[0].lastUsedAt).toBeTruthy();
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/auth/passkeys/${list.items[0].id}`,
          headers: sessionOf(ok),
        })
      ).statusCode,
    ).toBe(204);
  });
});
