import { describe, expect, it } from 'vitest';
import { argon2Load, hashPassword, verifyPassword } from './passwords.ts';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one or a damaged hash', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'wrong horse')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
  });

  it('runs at most one argon2 computation per core; a burst waits its turn and every answer is right', async () => {
    const stored = await hashPassword('burst password');
    let most = 0;
    const watch = setInterval(() => {
      most = Math.max(most, argon2Load().running);
    }, 1);
    const burst = Array.from({ length: 12 }, (_, i) => verifyPassword(stored, i % 2 ? 'burst password' : 'nope'));
    expect(argon2Load().running).toBe(argon2Load().slots);
    expect(argon2Load().waiting).toBe(12 - argon2Load().slots);
    const answers = await Promise.all(burst);
    clearInterval(watch);
    expect(answers).toEqual(Array.from({ length: 12 }, (_, i) => i % 2 === 1));
    expect(most).toBeLessThanOrEqual(argon2Load().slots);
    expect(argon2Load()).toMatchObject({ running: 0, waiting: 0 });
  });
});
