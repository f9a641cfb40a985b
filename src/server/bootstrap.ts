import { systemCtx } from './lib/auth.ts';
import type { Services } from './services.ts';

export const FIRST_ADMIN_EMAIL = 'admin@outpost.local';

/**
 * On the very first start (no user at all) create the first administrator with a one-time password,
 * returned once to be printed once. It must be changed at first sign-in. Never runs again.
 */
export async function ensureFirstAdmin(services: Services): Promise<{ email: string; password: string } | null> {
  if ((await services.users.count()) > 0) return null;
  const { user, oneTimePassword } = await services.users.create(systemCtx, {
    email: FIRST_ADMIN_EMAIL,
    displayName: 'Administrator',
    role: 'admin',
  });
  return oneTimePassword ? { email: user.email, password: oneTimePassword } : null;
}
