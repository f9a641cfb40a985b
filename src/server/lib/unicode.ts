/**
 * Where a JSON value holds a string that is not well-formed Unicode (an unpaired UTF-16 surrogate,
 * which JSON's `\ud800` escapes allow). Such a string cannot be stored byte-exact — SQLite and
 * PostgreSQL would each replace it differently — so requests carrying one are refused up front.
 */
export function illFormedPath(value: unknown, path = 'body', depth = 0): string | null {
  if (typeof value === 'string') return value.isWellFormed() ? null : path;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const p = illFormedPath(v, `${path}.${i}`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (!k.isWellFormed()) return `${path}.${k.toWellFormed()}`;
    const p = illFormedPath(v, `${path}.${k}`, depth + 1);
    if (p) return p;
  }
  return null;
}
