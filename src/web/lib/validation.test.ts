import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import en from '../locales/en.json' with { type: 'json' };
import { SERVER_CODES, serverErrorsByField, serverMessage } from './validation.ts';

/** A stand-in for i18next's `t`: answers the key, so the tests see which message was chosen. */
const t = ((key: string) => `t:${key}`) as unknown as TFunction;

function hasKey(tree: unknown, key: string): boolean {
  let node = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string';
}

describe('server field errors', () => {
  it('are translated by their stable code, not by their English text', () => {
    expect(serverMessage({ path: 'body.newPassword', message: 'anything at all', code: 'password.common' }, t)).toBe(
      't:validation.passwordCommon',
    );
    expect(serverMessage({ path: 'body.code', message: 'is not valid', code: 'mfa.invalid_code' }, t)).toBe(
      't:validation.codeInvalid',
    );
    expect(serverMessage({ path: 'body.name', message: 'Too small: expected …', code: 'too_small' }, t)).toBe(
      't:validation.tooSmall',
    );
  });

  it('fall back to the server text for a code the web app does not know yet, or none', () => {
    expect(serverMessage({ path: 'body.x', message: 'is odd', code: 'something.new' }, t)).toBe('is odd');
    expect(serverMessage({ path: 'body.x', message: 'is odd' }, t)).toBe('is odd');
  });

  it('are placed on the field their path names, first error first', () => {
    expect(
      serverErrorsByField(
        [
          { path: 'body.password', message: 'is wrong', code: 'password.wrong' },
          { path: 'body.password', message: 'second', code: 'too_small' },
          { path: '/code', message: 'is not valid', code: 'mfa.invalid_code' },
        ],
        t,
      ),
    ).toEqual({ password: 't:validation.passwordWrong', code: 't:validation.codeInvalid' });
  });

  it('name messages that exist in the locales', () => {
    for (const key of Object.values(SERVER_CODES)) expect(hasKey(en, key), key).toBe(true);
  });
});
