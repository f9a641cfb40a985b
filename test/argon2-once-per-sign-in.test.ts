/**
 * Issue #3: "the argon2 cost is paid once per sign-in, not per request". The benchmark shows it in
 * throughput (`npm run bench`, Sign-in section); this counts it: every argon2 call the server makes goes
 * through @node-rs/argon2, which is wrapped here (the real functions still run).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type TestApp } from './build-test-app.ts';
import { makeOffice, makeUser, signIn } from './factories.ts';
import { testEngines } from './test-db.ts';

const calls = vi.hoisted(() => ({ verify: 0, hash: 0 }));

vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return {
    ...real,
    verify: (...args: Parameters<typeof real.verify>) => {
      calls.verify++;
      return real.verify(...args);
    },
    hash: (...args: Parameters<typeof real.hash>) => {
      calls.hash++;
      return real.hash(...args);
    },
  };
});

describe.each(testEngines())('argon2 once per sign-in on %s', (engine) => {
  let t: TestApp;
  let officeId: string;
  beforeAll(async () => {
    t = await buildTestApp(engine);
    officeId = (await makeOffice(t.services, { code: 'ARG' })).id;
  });
  afterAll(() => t.close());

  it('verifies the password once at sign-in and never for the 50 authenticated requests after it', async () => {
    const user = await makeUser(t.services, 'security_officer', ['ARG']);
    const before = { ...calls };
    const headers = await signIn(t, user.email);
    expect(calls.verify - before.verify).toBe(1);

    const afterSignIn = { ...calls };
    const requests = [
      { method: 'GET' as const, url: '/api/v1/auth/me' },
      { method: 'GET' as const, url: '/api/v1/offices?limit=5' },
      { method: 'GET' as const, url: `/api/v1/offices/${officeId}/sites?limit=10` },
      {
        method: 'POST' as const,
        url: `/api/v1/offices/${officeId}/sites`,
        payload: { name: 'Argon2 test residence', kind: 'residence_compound', country: 'GE' },
      },
    ];
    for (let i = 0; i < 50; i++) {
      const req = requests[i % requests.length] as (typeof requests)[number];
      const res = await t.app.inject({ ...req, headers });
      expect(res.statusCode, `${req.method} ${req.url}: ${res.body}`).toBeLessThan(300);
    }
    expect(calls).toEqual(afterSignIn);
  });
});
