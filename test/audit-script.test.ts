import { describe, expect, it } from 'vitest';
import { evaluate } from '../scripts/audit.js';

/** The shape `npm audit --json` (report version 2) prints; the advisory ids and titles are made up. */
const report = {
  auditReportVersion: 2,
  vulnerabilities: {
    'parse-thing': {
      name: 'parse-thing',
      severity: 'critical',
      isDirect: false,
      via: [
        {
          source: 1100001,
          name: 'parse-thing',
          dependency: 'parse-thing',
          title: 'Prototype pollution in parse-thing',
          url: 'https://github.com/advisories/GHSA-xxxx-0001',
          severity: 'critical',
          range: '<2.0.1',
        },
      ],
      effects: ['uses-parse-thing'],
    },
    'uses-parse-thing': { name: 'uses-parse-thing', severity: 'critical', via: ['parse-thing'], effects: [] },
    'slow-regex': {
      name: 'slow-regex',
      severity: 'moderate',
      via: [
        { source: 1100002, title: 'ReDoS', url: 'https://github.com/advisories/GHSA-xxxx-0002', severity: 'moderate' },
      ],
      effects: [],
    },
    'leaky-lib': {
      name: 'leaky-lib',
      severity: 'high',
      via: [{ source: 1100003, title: 'Leaks', url: 'https://github.com/advisories/GHSA-xxxx-0003', severity: 'high' }],
      effects: [],
    },
  },
};

describe('npm run audit (scripts/audit.js)', () => {
  it('fails on high and critical advisories, not on moderate ones, nor on packages that only depend on them', () => {
    const failing = evaluate(report, { advisories: [] }, '2026-11-29');
    expect(failing.map((f) => [f.package, f.id, f.severity])).toEqual([
      ['parse-thing', '1100001', 'critical'],
      ['leaky-lib', '1100003', 'high'],
    ]);
  });

  it('lets a reviewed advisory through until its date, then fails again and says the entry expired', () => {
    const allow = { advisories: [{ id: 1100003, package: 'leaky-lib', reason: 'not reachable', until: '2026-12-31' }] };
    expect(evaluate(report, allow, '2026-11-29').map((f) => f.id)).toEqual(['1100001']);
    const later = evaluate(report, allow, '2027-01-01');
    expect(later.map((f) => [f.id, f.expired])).toEqual([
      ['1100001', false],
      ['1100003', true],
    ]);
  });

  it('an empty report passes', () => {
    expect(evaluate({ vulnerabilities: {} }, { advisories: [] })).toEqual([]);
  });
});
