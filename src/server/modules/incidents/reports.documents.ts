import type { Advisory, ReportLang, ReportSection } from '../../../shared/incidents/reports.schemas.ts';
import type { IncidentRow } from '../../db/tables/incidents.ts';
import type { IncidentReportModel } from './reports.model.ts';
import type { Block, RenderableDocument } from './reports.render.ts';
import {
  countryName,
  formatTime,
  humanize,
  markdownParagraphs,
  redact,
  safeText,
  valueLabel,
  words,
} from './reports.text.ts';

/** Pure builders: an incident (or a set of rows) in, a document or advisory out. */

export interface TemplateView {
  headerText: string;
  footerText: string;
  sections: readonly ReportSection[];
}

const tlpLabel = (tlp: string) => `TLP:${tlp.toUpperCase()}`;

function categoryText(m: Pick<IncidentReportModel, 'category' | 'categoryLabel'>, lang: ReportLang): string {
  return m.categoryLabel ? m.categoryLabel[lang] : humanize(m.category.split(':').pop() ?? m.category);
}

function placeText(m: IncidentReportModel, lang: ReportLang, withDetail: boolean): string {
  const parts = [m.location.city, countryName(m.location.country, lang)].filter((p): p is string => !!p);
  if (withDetail) {
    if (m.location.locationType) parts.push(humanize(m.location.locationType));
    if (m.location.text) parts.push(m.location.text);
    if (m.location.latitude !== null && m.location.longitude !== null)
      parts.push(`${m.location.latitude.toFixed(5)}, ${m.location.longitude.toFixed(5)}`);
  }
  return parts.join(', ');
}

function impactsText(impacts: Record<string, unknown>): string {
  return Object.entries(impacts)
    .filter(([, v]) => v !== null && v !== undefined && v !== '' && typeof v !== 'object')
    .map(([k, v]) => `${humanize(k.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase())}: ${String(v)}`)
    .join('; ');
}

/** The incident report: header facts, then the sections the office's template lists, in its order. */
export function buildIncidentReport(
  m: IncidentReportModel,
  template: TemplateView,
  lang: ReportLang,
  now: string,
): RenderableDocument {
  const w = words(lang);
  const tz = m.office.timezone;
  const t = (iso: string | null) => formatTime(iso, tz, lang);
  const classification = [tlpLabel(m.tlp), m.classification].filter(Boolean).join(' — ');
  const blocks: Block[] = [
    { kind: 'small', text: template.headerText },
    { kind: 'h1', text: `${w.incidentReport} ${m.reference}` },
    { kind: 'p', text: m.title },
    { kind: 'kv', key: w.tlp, value: tlpLabel(m.tlp) },
  ];
  if (m.classification) blocks.push({ kind: 'kv', key: w.classification, value: m.classification });
  if (m.sensitive) blocks.push({ kind: 'p', text: w.sensitive });

  const sections: Record<ReportSection, () => Block[]> = {
    summary: () => {
      const b: Block[] = [
        { kind: 'h2', text: w.summary },
        { kind: 'kv', key: w.reference, value: m.reference },
        { kind: 'kv', key: w.office, value: `${m.office.code} — ${m.office.name}` },
        { kind: 'kv', key: w.domain, value: valueLabel(lang, 'domain', m.domain) },
        { kind: 'kv', key: w.category, value: `${categoryText(m, lang)} (${m.category})` },
        { kind: 'kv', key: w.determination, value: valueLabel(lang, 'determination', m.determination) },
        { kind: 'kv', key: w.severity, value: valueLabel(lang, 'severity', m.severity) },
        { kind: 'kv', key: w.status, value: valueLabel(lang, 'status', m.status) },
        { kind: 'kv', key: w.location, value: placeText(m, lang, true) || '—' },
        { kind: 'kv', key: w.channel, value: humanize(m.reportChannel) },
        { kind: 'kv', key: w.reporter, value: m.reporter ?? '—' },
        { kind: 'kv', key: w.owner, value: m.owner ?? '—' },
        { kind: 'kv', key: w.reviewer, value: m.reviewer ?? '—' },
      ];
      if (m.reviewedAt) b.push({ kind: 'kv', key: w.reviewedAt, value: t(m.reviewedAt) });
      if (m.actorType) b.push({ kind: 'kv', key: w.actorType, value: humanize(m.actorType) });
      if (m.anyoneHurt !== null) b.push({ kind: 'kv', key: w.anyoneHurt, value: m.anyoneHurt ? w.yes : w.no });
      if (m.helpNeeded) b.push({ kind: 'kv', key: w.helpNeeded, value: m.helpNeeded });
      if (m.affectedAssets.length) b.push({ kind: 'kv', key: w.assets, value: m.affectedAssets.join(', ') });
      const imp = impactsText(m.impacts);
      if (imp) b.push({ kind: 'kv', key: w.impacts, value: imp });
      if (m.observables.length)
        b.push({
          kind: 'kv',
          key: w.observables,
          value: m.observables.map((o) => `${o.type}: ${o.value}${o.note ? ` (${o.note})` : ''}`).join('; '),
        });
      b.push({ kind: 'h2', text: w.times });
      const times: [string, string | null][] = [
        [w.occurredAt, m.times.occurredAt],
        [w.detectedAt, m.times.detectedAt],
        [w.reportedAt, m.times.reportedAt],
        [w.acknowledgedAt, m.times.acknowledgedAt],
        [w.containedAt, m.times.containedAt],
        [w.hqNotifiedAt, m.times.hqNotifiedAt],
        [w.hqAcknowledgedAt, m.times.hqAcknowledgedAt],
        [w.resolvedAt, m.times.resolvedAt],
        [w.closedAt, m.times.closedAt],
      ];
      for (const [k, v] of times) if (v) b.push({ kind: 'kv', key: k, value: t(v) });
      return b;
    },
    narrative: () => {
      const paras = markdownParagraphs(m.narrative);
      return [
        { kind: 'h2', text: w.narrative },
        ...(paras.length ? paras.map((p): Block => ({ kind: 'p', text: p })) : [{ kind: 'p', text: w.none } as Block]),
      ];
    },
    timeline: () => [
      { kind: 'h2', text: w.timeline },
      ...(m.timeline.length
        ? m.timeline.map(
            (e): Block => ({
              kind: 'item',
              text: `${e.approximate ? `${w.approx} ` : ''}${t(e.occurredAt)} — ${e.description}`,
              detail: `${w.source}: ${humanize(e.source)}${e.sourceDetail ? ` (${e.sourceDetail})` : ''}`,
            }),
          )
        : [{ kind: 'p', text: w.none } as Block]),
    ],
    evidence: () => {
      const b: Block[] = [{ kind: 'h2', text: w.evidence }];
      if (!m.evidence.length) b.push({ kind: 'p', text: w.none });
      for (const e of m.evidence) {
        const detail = [
          `${humanize(e.kind)} — ${w.acquired} ${t(e.acquiredAt)}${e.acquiredBy ? ` ${w.by} ${e.acquiredBy}` : ''}`,
          e.acquisitionMethod ? `${w.method}: ${e.acquisitionMethod}` : '',
          e.storageLocation ? `${w.storage}: ${e.storageLocation}` : '',
          e.sha256 ? `SHA-256: ${e.sha256}` : '',
          e.description ?? '',
          ...(e.custody.length
            ? [
                `${w.custody}:`,
                ...e.custody.map(
                  (c) => `  ${c.seq}. ${t(c.at)} ${c.from ?? '—'} → ${c.to} (${w.purpose}: ${c.purpose})`,
                ),
              ]
            : []),
        ].filter(Boolean);
        b.push({ kind: 'item', text: e.label, detail: detail.join('\n') });
      }
      return b;
    },
    communications: () => [
      { kind: 'h2', text: w.communications },
      ...(m.communications.length
        ? m.communications.map(
            (c): Block => ({
              kind: 'item',
              text: `${t(c.communicatedAt)} — ${c.recipient} (${humanize(c.channel)})`,
              detail: `${c.summary}\n${c.communicatedBy ? `${w.by} ${c.communicatedBy}; ` : ''}${
                c.acknowledged
                  ? `${w.acknowledged}${c.acknowledgedAt ? ` ${t(c.acknowledgedAt)}` : ''}`
                  : w.notAcknowledged
              }`,
            }),
          )
        : [{ kind: 'p', text: w.none } as Block]),
    ],
    closure: () => [
      { kind: 'h2', text: w.closure },
      { kind: 'kv', key: w.closingSummary, value: m.closingSummary ?? '—' },
      { kind: 'kv', key: w.lessonsLearned, value: m.lessonsLearned ?? '—' },
    ],
  };
  for (const s of template.sections) blocks.push(...sections[s]());
  blocks.push({ kind: 'small', text: `${w.generated} ${formatTime(now, tz, lang)}` });
  return {
    title: `${m.reference} — ${m.title}`,
    header: `${template.headerText} ${template.headerText ? '· ' : ''}${m.reference} · ${classification}`,
    footer: [template.footerText, classification].filter(Boolean).join(' · '),
    pageWord: words(lang).page,
    lang,
    blocks,
  };
}

/** Observable types that are never personal data: the only ones an advisory may list. */
const ADVISORY_INDICATOR_TYPES = new Set(['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256', 'file_name']);

/**
 * The redacted staff advisory: category, city and country, date (no time), severity in words, the lessons
 * learned as advice, technical indicators. Never: the title or narrative (free text that may name people),
 * persons, reporter, owner, address, coordinates, e-mail addresses, phone numbers, plates, sensitive observables.
 */
export function buildAdvisory(m: IncidentReportModel, lang: ReportLang, tlp: 'clear' | 'green'): Advisory {
  const w = words(lang);
  const cat = categoryText(m, lang);
  const where = [m.location.city, countryName(m.location.country, lang)].filter(Boolean).join(', ') || '—';
  const when = formatTime(m.times.occurredAt ?? m.times.reportedAt, m.office.timezone, lang, true);
  const title = `${w.advisory}: ${cat} — ${where}`;
  const summary = [
    `${cat} (${valueLabel(lang, 'domain', m.domain)})`,
    `${w.severity}: ${valueLabel(lang, 'severity', m.severity)}`,
    `${w.determination}: ${valueLabel(lang, 'determination', m.determination)}`,
  ].join(' · ');
  const lessons = m.sensitive ? [] : markdownParagraphs(redact(m.lessonsLearned, m.redactNames));
  const advice = lessons.length ? lessons : [w.defaultAdvice];
  const indicators = m.sensitive
    ? []
    : m.observables
        .filter((o) => !o.sensitive && ADVISORY_INDICATOR_TYPES.has(o.type))
        .map((o) => ({ type: o.type, value: safeText(o.value) }));
  const md = [
    `**${tlpLabel(tlp)}**`,
    '',
    `# ${title}`,
    '',
    `**${w.when}:** ${when}  `,
    `**${w.where}:** ${where}`,
    '',
    `## ${w.whatHappened}`,
    '',
    summary,
    '',
    `## ${w.advice}`,
    '',
    ...advice.map((a) => `- ${a.replace(/\n/g, ' ')}`),
    ...(indicators.length
      ? ['', `## ${w.indicators}`, '', ...indicators.map((i) => `- ${i.type}: \`${i.value.replace(/`/g, "'")}\``)]
      : []),
    '',
  ].join('\n');
  return { incidentId: m.id, lang, tlp, title, where, when, summary, advice, indicators, markdown: md };
}

export function advisoryDocument(a: Advisory, officeLine: string): RenderableDocument {
  const w = words(a.lang);
  const blocks: Block[] = [
    { kind: 'small', text: tlpLabel(a.tlp) },
    { kind: 'h1', text: a.title },
    { kind: 'kv', key: w.when, value: a.when },
    { kind: 'kv', key: w.where, value: a.where },
    { kind: 'h2', text: w.whatHappened },
    { kind: 'p', text: a.summary },
    { kind: 'h2', text: w.advice },
    ...a.advice.map((t): Block => ({ kind: 'item', text: t })),
  ];
  if (a.indicators.length) {
    blocks.push({ kind: 'h2', text: w.indicators });
    for (const i of a.indicators) blocks.push({ kind: 'item', text: `${i.type}: ${i.value}` });
  }
  return {
    title: a.title,
    header: `${officeLine} · ${tlpLabel(a.tlp)}`,
    footer: tlpLabel(a.tlp),
    pageWord: w.page,
    lang: a.lang,
    blocks,
  };
}

// --- statistics ---------------------------------------------------------------------------------------------

const hoursBetween = (from: string | null, to: string | null, pausedSeconds = 0): number | null => {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from) - pausedSeconds * 1000;
  return Number.isFinite(ms) && ms >= 0 ? ms / 3_600_000 : null;
};

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1] ?? null;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export interface IncidentStatistics {
  total: number;
  byCategory: [string, number][];
  bySeverity: [string, number][];
  byDomain: [string, number][];
  times: {
    key: 'acknowledge' | 'contain' | 'notifyHq' | 'close';
    median: number | null;
    p90: number | null;
    n: number;
  }[];
}

/** Counts and time-to-X over incident rows; times derive from the recorded timestamps, never typed. */
export function computeStatistics(rows: readonly IncidentRow[]): IncidentStatistics {
  const count = (key: (r: IncidentRow) => string) => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };
  const series = (f: (r: IncidentRow) => number | null) =>
    rows.map(f).filter((v): v is number => v !== null && Number.isFinite(v));
  const stat = (key: IncidentStatistics['times'][number]['key'], vals: number[]) => ({
    key,
    median: median(vals),
    p90: percentile(vals, 90),
    n: vals.length,
  });
  return {
    total: rows.length,
    byCategory: count((r) => r.category),
    bySeverity: count((r) => (r.severity === null ? '—' : String(r.severity))),
    byDomain: count((r) => r.domain),
    times: [
      stat(
        'acknowledge',
        series((r) => hoursBetween(r.reported_at, r.acknowledged_at)),
      ),
      stat(
        'contain',
        series((r) => hoursBetween(r.reported_at, r.contained_at)),
      ),
      stat(
        'notifyHq',
        series((r) => hoursBetween(r.reported_at, r.hq_notified_at)),
      ),
      stat(
        'close',
        series((r) => hoursBetween(r.reported_at, r.closed_at, r.paused_seconds)),
      ),
    ],
  };
}

export function statisticsDocument(
  s: IncidentStatistics,
  o: {
    officeLine: string;
    periodLabel: string;
    lang: ReportLang;
    now: string;
    timezone: string;
    categoryLabels: Map<string, string>;
  },
): RenderableDocument {
  const w = words(o.lang);
  const fmt = (n: number | null) => (n === null ? '—' : n.toFixed(1));
  const timeWord = {
    acknowledge: w.timeToAcknowledge,
    contain: w.timeToContain,
    notifyHq: w.timeToNotifyHq,
    close: w.timeToClose,
  };
  const blocks: Block[] = [
    { kind: 'h1', text: `${w.statistics} — ${o.periodLabel}` },
    { kind: 'kv', key: w.office, value: o.officeLine },
    { kind: 'kv', key: w.period, value: o.periodLabel },
    { kind: 'kv', key: w.total, value: String(s.total) },
    { kind: 'h2', text: w.byCategory },
    ...s.byCategory.map(
      ([k, n]): Block => ({ kind: 'kv', key: o.categoryLabels.get(k) ?? humanize(k), value: String(n) }),
    ),
    { kind: 'h2', text: w.bySeverity },
    ...s.bySeverity.map(([k, n]): Block => ({ kind: 'kv', key: valueLabel(o.lang, 'severity', k), value: String(n) })),
    { kind: 'h2', text: w.byDomain },
    ...s.byDomain.map(([k, n]): Block => ({ kind: 'kv', key: valueLabel(o.lang, 'domain', k), value: String(n) })),
    { kind: 'h2', text: w.medians },
    ...s.times.map(
      (x): Block => ({
        kind: 'kv',
        key: timeWord[x.key],
        value: `${w.median} ${fmt(x.median)} · ${w.p90} ${fmt(x.p90)} · ${w.count} ${x.n}`,
      }),
    ),
    { kind: 'small', text: w.notVisible },
    { kind: 'small', text: `${w.generated} ${formatTime(o.now, o.timezone, o.lang)}` },
  ];
  return {
    title: `${w.statistics} — ${o.periodLabel}`,
    header: `${o.officeLine} · ${w.statistics}`,
    footer: 'TLP:AMBER',
    pageWord: w.page,
    lang: o.lang,
    blocks,
  };
}
