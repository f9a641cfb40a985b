/**
 * Turning what a user typed into a safe full-text expression, and the engine's marked-up snippets back
 * into plain segments. Nothing of the raw query reaches the FTS5 MATCH or the PostgreSQL tsquery
 * parser: the query is cut into word tokens (letters, digits, combining marks) and the expression is
 * built from those, each quoted. FTS syntax (`"`, `*`, `NEAR(`, `OR`, `:`), SQL quotes and emoji are
 * therefore just separators or plain words.
 */

export const MAX_TOKENS = 8;
export const MAX_TOKEN_LENGTH = 64;
/** The last token is a prefix (search-as-you-type) only from this length: shorter prefixes match too much. */
export const MIN_PREFIX_LENGTH = 2;

export interface ParsedQuery {
  tokens: string[];
  /** The last token is matched as a prefix ("secu" finds "sécurité"). */
  prefixLast: boolean;
}

const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

export function parseQuery(raw: string): ParsedQuery {
  const text = raw.normalize('NFC');
  const all = (text.match(TOKEN) ?? []).map((t) => t.toLowerCase().slice(0, MAX_TOKEN_LENGTH));
  // A duplicated word adds nothing; keep the first occurrence (the last token keeps its place for prefixing).
  const seen = new Set<string>();
  const tokens: string[] = [];
  for (const t of all) {
    if (seen.has(t)) continue;
    seen.add(t);
    tokens.push(t);
    if (tokens.length === MAX_TOKENS) break;
  }
  const last = tokens[tokens.length - 1];
  // The user is still typing the last word unless the query ends with a separator.
  const endsInWord = /[\p{L}\p{N}\p{M}]$/u.test(text);
  const prefixLast =
    last !== undefined && endsInWord && last === all[all.length - 1] && [...last].length >= MIN_PREFIX_LENGTH;
  return { tokens, prefixLast };
}

/** The words in FTS5 syntax: each token quoted (so it is never an operator), the last one maybe a prefix. */
function fts5Words(q: ParsedQuery): string {
  return q.tokens.map((t, i) => `"${t}"${q.prefixLast && i === q.tokens.length - 1 ? '*' : ''}`).join(' AND ');
}

/** FTS5: every word must appear in the title or the body. */
export function fts5Expression(q: ParsedQuery): string {
  return `{title body} : (${fts5Words(q)})`;
}

/** FTS5: every word appears in the title. */
export function fts5TitleExpression(q: ParsedQuery): string {
  return `title : (${fts5Words(q)})`;
}

/** PostgreSQL `to_tsquery` input: quoted lexemes joined by `&`, the last with `:*` when a prefix; `weight` A = title only. */
export function tsqueryExpression(q: ParsedQuery, weight = ''): string {
  return q.tokens
    .map((t, i) => {
      const prefix = q.prefixLast && i === q.tokens.length - 1 ? '*' : '';
      return prefix || weight ? `'${t}':${prefix}${weight}` : `'${t}'`;
    })
    .join(' & ');
}

/**
 * Filter tokens indexed in the `scope` column next to the text: office (`ox…`), permission (`px…`) and
 * record type (`tx…`), each one word whatever the value looks like. The SQLite index uses them to skip,
 * inside the full-text index, what the caller may not see; the SQL filters still decide.
 */
const word = (s: string) => s.toLowerCase().replace(/[^0-9a-z]/g, '');
export function officeScopeToken(officeId: string | null): string {
  return officeId === null ? 'oxnone' : `ox${word(officeId)}`;
}
export function permissionScopeToken(permission: string): string {
  return `px${word(permission)}`;
}
export function typeScopeToken(entityType: string): string {
  return `tx${word(entityType)}`;
}
export function scopeTokens(d: { officeId: string | null; permission: string; entityType: string }): string {
  return [officeScopeToken(d.officeId), permissionScopeToken(d.permission), typeScopeToken(d.entityType)].join(' ');
}

/** Control characters out: the text is indexed and returned as plain text. */
export function cleanText(s: string, max: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const cleaned = s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ');
  return [...cleaned].length > max ? [...cleaned].slice(0, max).join('') : cleaned;
}

export interface Segment {
  text: string;
  hit: boolean;
}

/** How both engines compare words: accents off, lower case ("Sécurité" = "securite"). */
export function foldWord(w: string): string {
  return w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

interface Word {
  start: number;
  end: number;
  hit: boolean;
}

function words(text: string, q: ParsedQuery): Word[] {
  const exact = new Set(q.tokens.map(foldWord));
  const last = q.tokens[q.tokens.length - 1];
  const prefix = q.prefixLast && last !== undefined ? foldWord(last) : null;
  const out: Word[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    const w = foldWord(m[0]);
    out.push({
      start: m.index,
      end: m.index + m[0].length,
      hit: exact.has(w) || (prefix !== null && w.startsWith(prefix)),
    });
  }
  return out;
}

function segmentsOf(text: string, ws: Word[], from: number, to: number): Segment[] {
  const out: Segment[] = [];
  const push = (t: string, hit: boolean) => {
    if (t === '') return;
    const prev = out[out.length - 1];
    if (prev && prev.hit === hit) prev.text += t;
    else out.push({ text: t, hit });
  };
  let at = from;
  for (const w of ws) {
    if (w.end <= from || w.start >= to) continue;
    if (!w.hit) continue;
    push(text.slice(at, w.start), false);
    push(text.slice(w.start, w.end), true);
    at = w.end;
  }
  push(text.slice(at, to), false);
  return out;
}

/**
 * The whole text with the query's words marked, as plain segments: the client renders each as a text
 * node (a `<mark>` around hits) and never injects HTML. The engine decided that the record matches;
 * this only shows where, with the same rules (accents and case ignored, the last word as a prefix).
 */
export function highlight(text: string, q: ParsedQuery): Segment[] {
  return segmentsOf(text, words(text, q), 0, text.length);
}

/** An extract of about `size` words around the densest cluster of hits, with `…` where the text is cut. */
export function snippet(text: string, q: ParsedQuery, size = 24): Segment[] {
  const ws = words(text, q);
  if (ws.length === 0) return [];
  let best = 0;
  let bestHits = -1;
  let hits = 0;
  for (let i = 0; i < ws.length; i++) {
    if (ws[i]?.hit) hits++;
    if (i >= size && ws[i - size]?.hit) hits--;
    const start = Math.max(0, i - size + 1);
    if (hits > bestHits) {
      bestHits = hits;
      best = start;
    }
  }
  // Start a couple of words before the first hit of the window, for context.
  const limit = Math.min(ws.length, best + size);
  let first = best;
  while (first < limit && !ws[first]?.hit) first++;
  const startWord = first < limit ? Math.max(0, first - 3) : best;
  const endWord = Math.min(ws.length, startWord + size) - 1;
  const from = startWord === 0 ? 0 : (ws[startWord] as Word).start;
  const to = endWord === ws.length - 1 ? text.length : (ws[endWord] as Word).end;
  const segs = segmentsOf(text, ws, from, to);
  if (from > 0) segs.unshift({ text: '… ', hit: false });
  if (to < text.length) segs.push({ text: ' …', hit: false });
  // Merge the ellipses into their neighbours when those are plain text.
  const out: Segment[] = [];
  for (const sg of segs) {
    const prev = out[out.length - 1];
    if (prev && prev.hit === sg.hit) prev.text += sg.text;
    else out.push({ ...sg });
  }
  return out;
}
