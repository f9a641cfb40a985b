/** A string of a request that the database could not store byte-exact, and where it is. */
export interface UnstorableText {
  /** `body.notes`, `query.q`… */
  path: string;
  code: 'invalid_unicode' | 'nul_character';
  /** Says what is wrong, after the path. */
  detail: string;
  message: string;
}

const problems = {
  invalid_unicode: {
    detail: 'contains an unpaired surrogate (not valid Unicode text).',
    message: 'must be valid Unicode text',
  },
  nul_character: {
    detail: 'contains the NUL character (U+0000), which stored text cannot hold.',
    message: 'must not contain the NUL character (U+0000)',
  },
} as const;

function problemOf(s: string): UnstorableText['code'] | null {
  if (!s.isWellFormed()) return 'invalid_unicode';
  return s.includes('\u0000') ? 'nul_character' : null;
}

/**
 * Where a JSON value (a body, a parsed query string) holds a string that cannot be stored byte-exact:
 * one that is not well-formed Unicode (an unpaired UTF-16 surrogate, which JSON's `\ud800` escapes
 * allow) — SQLite and PostgreSQL would each replace it differently — or one with the NUL character,
 * which PostgreSQL text cannot hold at all (SQLite can: refusing it on both keeps them agreeing). Such
 * requests are refused up front with a 400, instead of failing in the database.
 */
export function unstorableText(value: unknown, path: string, depth = 0): UnstorableText | null {
  if (typeof value === 'string') {
    const code = problemOf(value);
    return code ? { path, code, ...problems[code] } : null;
  }
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const p = unstorableText(v, `${path}.${i}`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const code = problemOf(k);
    if (code) return { path: `${path}.${k.toWellFormed()}`, code, ...problems[code] };
    const p = unstorableText(v, `${path}.${k}`, depth + 1);
    if (p) return p;
  }
  return null;
}

/**
 * The first `max` UTF-16 units of `s`, one fewer when the cut would fall inside a surrogate pair: a
 * shortened title must not end in half a character (stored, it would become U+FFFD).
 */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const last = s.charCodeAt(max - 1);
  return s.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
