import { systemCtx } from './lib/auth.ts';
import { Conflict } from './lib/errors.ts';
import type { Services } from './services.ts';

export const FIRST_ADMIN_EMAIL = 'admin@outpost.local';
const DONE_KEY = 'first_admin_created_at';

/**
 * On the very first start create the first administrator with a one-time password, returned once to
 * be printed once; it must be changed at first sign-in. A flag in instance_settings makes sure this
 * never happens again, even if users were added before (e.g. by `outpost demo`).
 */
export async function ensureFirstAdmin(
  services: Services,
  now: Date = new Date(),
): Promise<{ email: string; password: string } | null> {
  if (await services.system.getSetting(DONE_KEY)) return null;
  try {
    const { user, oneTimePassword } = await services.users.create(systemCtx, {
      email: FIRST_ADMIN_EMAIL,
      displayName: 'Administrator',
      role: 'admin',
    });
    // Another instance starting at the same moment may have won: only the one that sets the flag prints.
    if (!(await services.system.setSettingOnce(DONE_KEY, now.toISOString()))) return null;
    return oneTimePassword ? { email: user.email, password: oneTimePassword } : null;
  } catch (err) {
    if (err instanceof Conflict) {
      await services.system.setSettingOnce(DONE_KEY, now.toISOString());
      return null;
    }
    throw err;
  }
}
