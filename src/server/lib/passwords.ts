import { randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's recommended minimum (19 MiB memory, 2 passes, 1 lane): about 30 ms here,
 * expensive enough for an offline attacker, cheap enough for a laptop serving an office.
 */
// algorithm 2 is Algorithm.Argon2id (a const enum, which erasable-syntax TypeScript cannot import).
const PARAMS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * At most one argon2 computation per core at a time. Each holds 19 MiB while it runs, and the cores are
 * busy anyway: a burst of sign-ins (everyone at nine, or someone trying passwords) then waits its turn
 * instead of holding 19 MiB per request in flight.
 */
const SLOTS = Math.max(1, availableParallelism());
let running = 0;
const waiting: (() => void)[] = [];

async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

export function hashPassword(password: string): Promise<string> {
  return inSlot(() => hash(password, PARAMS));
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await inSlot(() => verify(stored, password));
  } catch {
    return false;
  }
}

/** How many argon2 computations run and wait right now (for the test of the limit). */
export function argon2Load(): { running: number; waiting: number; slots: number } {
  return { running, waiting: waiting.length, slots: SLOTS };
}

/** A hash of nothing anyone knows: verifying against it when the account does not exist keeps timing even. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(`no-such-account-${randomInt(1e9)}`);
  return dummy;
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** A one-time password: 20 characters from an alphabet without look-alikes (~114 bits), grouped for reading aloud. */
export function generateOneTimePassword(): string {
  const chars = Array.from({ length: 20 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return chars.match(/.{5}/g)?.join('-') ?? chars;
}
