import { describe, expect, it } from 'vitest';
import en from './en.json' with { type: 'json' };
import fr from './fr.json' with { type: 'json' };

/** Every UI string exists in both languages, with the same placeholders. */

type Tree = { [key: string]: string | string[] | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string' || Array.isArray(value)) out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

// i18next plural forms: French also has `_many`; compare the base keys.
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
const placeholders = (s: string | string[]) =>
  [...new Set([...(Array.isArray(s) ? s.join(' ') : s).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]))].sort();

const enKeys = flatten(en as Tree);
const frKeys = flatten(fr as Tree);

describe('locales', () => {
  it('have the same keys in English and French', () => {
    const a = [...new Set([...enKeys.keys()].map(base))].sort();
    const b = [...new Set([...frKeys.keys()].map(base))].sort();
    expect(b).toEqual(a);
  });

  it('have no empty string', () => {
    for (const [key, value] of [...enKeys, ...frKeys]) {
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) expect(v.trim(), key).not.toBe('');
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, value] of enKeys) {
      const other = frKeys.get(key) ?? frKeys.get(`${base(key)}_other`);
      expect(other, key).toBeDefined();
      if (other !== undefined) expect(placeholders(other), key).toEqual(placeholders(value));
    }
  });

  it('describe each module with the same number of points', () => {
    for (const [key, value] of enKeys) {
      if (Array.isArray(value)) expect((frKeys.get(key) as string[] | undefined)?.length, key).toBe(value.length);
    }
  });
});
