import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import en from '../../locales/en.json' with { type: 'json' };
import fr from '../../locales/fr.json' with { type: 'json' };
import { formatDuration, normaliseMetrics, overallOf } from './metrics-data.ts';
import { draftKey, emptyDraft, isRetryable, loadDraft, newClientKey, saveDraft } from './quick-report-draft.ts';

function keys(tree: unknown, prefix = ''): string[] {
  if (typeof tree !== 'object' || tree === null) return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('quick report draft', () => {
  const store = new Map<string, string>();
  beforeEach(() => {
    store.clear();
    (globalThis as unknown as { window: unknown }).window = {
      localStorage: {
        getItem: (k: string) => store.get(k) ?? null,
        setItem: (k: string, v: string) => void store.set(k, v),
        removeItem: (k: string) => void store.delete(k),
      },
    };
  });
  afterEach(() => {
    delete (globalThis as unknown as { window?: unknown }).window;
  });

  it('keeps the draft, with its client key, until it is sent', () => {
    const draft = { ...emptyDraft('office-1', '2026-05-01T10:00'), what: 'Fire alarm', state: 'pending' as const };
    saveDraft('u1', draft);
    expect(store.has(draftKey('u1'))).toBe(true);
    expect(loadDraft('u1')).toEqual(draft);
    expect(loadDraft('u2')).toBeUndefined();
    saveDraft('u1', undefined);
    expect(loadDraft('u1')).toBeUndefined();
  });

  it('ignores a damaged draft', () => {
    store.set(draftKey('u1'), '{not json');
    expect(loadDraft('u1')).toBeUndefined();
    store.set(draftKey('u1'), JSON.stringify({ what: 'no key' }));
    expect(loadDraft('u1')).toBeUndefined();
  });

  it('makes a new UUID per draft', () => {
    const a = newClientKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newClientKey()).not.toBe(a);
  });

  it('retries on no answer or a server failure, never on a refusal', () => {
    for (const s of [0, 408, 429, 500, 502, 503]) expect(isRetryable(s)).toBe(true);
    for (const s of [400, 401, 403, 404, 409, 422]) expect(isRetryable(s)).toBe(false);
  });
});

describe('incident metrics for the charts', () => {
  const group = (key: string, ack: number | null) => ({
    key,
    incidents: 3,
    acknowledge: { count: 3, medianMinutes: ack, p90Minutes: ack === null ? null : ack * 2 },
    contain: { count: 0, medianMinutes: null, p90Minutes: null },
    notifyHq: { count: 1, medianMinutes: 60, p90Minutes: 60 },
    close: { count: 0, medianMinutes: null, p90Minutes: null },
  });

  it('reads the server answer into rows with durations in seconds', () => {
    const data = {
      overall: group('all', 30),
      byCategory: [group('cyber:phishing', 10)],
      bySeverity: [group('4', 5)],
      byMonth: [group('2026-04', null)],
    };
    const rows = normaliseMetrics(data);
    expect(rows.category[0]).toMatchObject({ key: 'cyber:phishing', count: 3 });
    expect(rows.category[0]?.stats.acknowledge).toEqual({ median: 600, p90: 1200 });
    expect(rows.severity[0]?.stats.notifyHq).toEqual({ median: 3600, p90: 3600 });
    expect(rows.month[0]?.stats.acknowledge).toEqual({ median: null, p90: null });
    expect(overallOf(data)?.stats.acknowledge.median).toBe(1800);
    expect(normaliseMetrics(null)).toEqual({ category: [], severity: [], month: [] });
  });

  it('writes durations in minutes, hours or days', () => {
    const t = (k: string, o: { n: string }) => `${o.n} ${k.split('.').pop()}`;
    expect(formatDuration(null, t)).toBe('—');
    expect(formatDuration(600, t)).toBe('10 min');
    expect(formatDuration(5400, t)).toBe('1.5 h');
    expect(formatDuration(3 * 86_400, t)).toBe('3.0 d');
  });
});

describe('incident translations', () => {
  it('has every English key in French and no empty text', () => {
    const enKeys = keys(en.incidents).sort();
    expect(keys(fr.incidents).sort()).toEqual(enKeys);
    for (const k of enKeys) {
      const value = k.split('.').reduce<unknown>((n, p) => (n as Record<string, unknown>)[p], fr.incidents);
      expect(typeof value === 'string' && value.trim().length > 0, k).toBe(true);
    }
  });
});
