import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Passwords: at least 12 characters (the schema), and not a known common or breached password — the
 * 49,000 most common ones bundled with @zxcvbn-ts/language-common, checked offline — nor built from
 * the user's own e-mail, nor one character or a short pattern repeated.
 */
const COMMON = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

export interface PasswordProblem {
  code: 'password.common' | 'password.common_padded' | 'password.repeated' | 'password.contains_email';
  message: string;
}

export function passwordProblem(password: string, email?: string): PasswordProblem | null {
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return { code: 'password.common', message: 'is a commonly used password; choose another' };
  const stripped = lower.replace(/[\d\W_]+$/, '').replace(/^[\d\W_]+/, '');
  if (stripped.length >= 4 && COMMON.has(stripped))
    return {
      code: 'password.common_padded',
      message: 'is a common password with a few characters added; choose another',
    };
  if (/^(.{1,4})\1+$/.test(lower))
    return { code: 'password.repeated', message: 'is a short pattern repeated; choose another' };
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local))
    return { code: 'password.contains_email', message: 'must not contain your e-mail address' };
  return null;
}
