import { systemCtx } from '../src/server/lib/auth.ts';
import type { Services } from '../src/server/services.ts';
import type { OfficeCreateInput } from '../src/shared/offices/offices.schemas.ts';
import type { Role } from '../src/shared/permissions.ts';
import type { TestApp } from './build-test-app.ts';

let seq = 0;
export const TEST_PASSWORD = 'correct horse battery staple';

export async function makeOffice(services: Services, overrides: Partial<OfficeCreateInput> = {}) {
  seq++;
  return services.offices.create(systemCtx, {
    code: `OF${seq}${Math.random().toString(36).slice(2, 5).toUpperCase()}`.slice(0, 10),
    name: `Test office ${seq}`,
    countries: ['GE'],
    timezone: 'Asia/Tbilisi',
    ...overrides,
  });
}

export async function makeUser(services: Services, role: Role, officeCodes: string[] = []) {
  seq++;
  const { user } = await services.users.create(systemCtx, {
    email: `${role}.${seq}.${Math.random().toString(36).slice(2, 6)}@example.org`,
    displayName: `Test ${role} ${seq}`,
    role,
    officeCodes,
    password: TEST_PASSWORD,
  });
  return user;
}

/** Signs in through the real endpoint and returns the headers a browser would send afterwards. */
export async function signIn(t: TestApp, email: string, password = TEST_PASSWORD): Promise<{ cookie: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'outpost_session');
  if (!cookie) throw new Error('no session cookie');
  return { cookie: `outpost_session=${cookie.value}` };
}

/** A user of the given role in the given offices, signed in. */
export async function signedInAs(t: TestApp, role: Role, officeCodes: string[] = []) {
  const user = await makeUser(t.services, role, officeCodes);
  return { user, headers: await signIn(t, user.email) };
}
