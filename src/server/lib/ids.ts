import { createHash, randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';

/** Time-ordered UUIDv7: sortable, index-friendly, generated without the database. */
export function newId(): string {
  return uuidv7();
}

/** A random secret token, URL-safe (256 bits by default). */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(input: string | Buffer): string {
  return createHash('sha256').update(input).digest('hex');
}
