import { fromMarkdown } from 'mdast-util-from-markdown';
import type { ReportLang } from '../../../shared/incidents/reports.schemas.ts';

/** Words of the incident documents, in English and French. */
const WORDS = {
  en: {
    incidentReport: 'Incident report',
    advisory: 'Staff security advisory',
    statistics: 'Incident statistics',
    reference: 'Reference',
    title: 'Title',
    office: 'Office',
    domain: 'Domain',
    category: 'Category',
    determination: 'Determination',
    severity: 'Severity',
    status: 'Status',
    tlp: 'TLP',
    classification: 'Classification',
    sensitive: 'Sensitive incident: restricted to the people named on it',
    location: 'Location',
    reporter: 'Reported by',
    channel: 'Report channel',
    owner: 'Owner',
    reviewer: 'Reviewer',
    reviewedAt: 'Signed off',
    actorType: 'Actor type',
    anyoneHurt: 'Anyone hurt',
    helpNeeded: 'Help needed',
    assets: 'Affected assets',
    observables: 'Observables',
    impacts: 'Impacts',
    times: 'Times',
    occurredAt: 'Occurred',
    detectedAt: 'Detected',
    reportedAt: 'Reported',
    acknowledgedAt: 'Acknowledged',
    containedAt: 'Contained',
    hqNotifiedAt: 'HQ notified',
    hqAcknowledgedAt: 'HQ acknowledged',
    resolvedAt: 'Resolved',
    closedAt: 'Closed',
    summary: 'Summary',
    narrative: 'Narrative',
    timeline: 'Timeline',
    evidence: 'Evidence',
    communications: 'Communications',
    closure: 'Closure',
    closingSummary: 'Closing summary',
    lessonsLearned: 'Lessons learned',
    none: 'None recorded.',
    yes: 'yes',
    no: 'no',
    unknown: 'unknown',
    approx: 'approx.',
    source: 'source',
    acquired: 'acquired',
    by: 'by',
    method: 'method',
    storage: 'stored at',
    custody: 'Chain of custody',
    purpose: 'purpose',
    acknowledged: 'acknowledged',
    notAcknowledged: 'not acknowledged',
    generated: 'Generated',
    page: 'Page',
    where: 'Where',
    when: 'When',
    whatHappened: 'What happened',
    advice: 'What to do',
    indicators: 'Technical indicators to block or watch for',
    defaultAdvice:
      'Stay alert, follow the office security plan and report anything unusual to the security officer at once.',
    period: 'Period',
    total: 'Incidents in the period',
    byCategory: 'By category',
    bySeverity: 'By severity',
    byDomain: 'By domain',
    medians: 'Median times (hours)',
    timeToAcknowledge: 'Time to acknowledge',
    timeToContain: 'Time to contain',
    timeToNotifyHq: 'Time to notify HQ',
    timeToClose: 'Time to close',
    median: 'median',
    p90: 'p90',
    count: 'count',
    notVisible: 'Only incidents you may see are counted.',
    sensitiveIncident: 'sensitive incident',
  },
  fr: {
    incidentReport: "Rapport d'incident",
    advisory: 'Avis de sécurité au personnel',
    statistics: 'Statistiques des incidents',
    reference: 'Référence',
    title: 'Titre',
    office: 'Bureau',
    domain: 'Domaine',
    category: 'Catégorie',
    determination: 'Qualification',
    severity: 'Gravité',
    status: 'Statut',
    tlp: 'TLP',
    classification: 'Classification',
    sensitive: 'Incident sensible : réservé aux personnes désignées',
    location: 'Lieu',
    reporter: 'Signalé par',
    channel: 'Canal de signalement',
    owner: 'Responsable',
    reviewer: 'Relecteur',
    reviewedAt: 'Validé le',
    actorType: "Type d'auteur",
    anyoneHurt: 'Blessés',
    helpNeeded: 'Aide demandée',
    assets: 'Biens touchés',
    observables: 'Observables',
    impacts: 'Impacts',
    times: 'Dates et heures',
    occurredAt: 'Survenu',
    detectedAt: 'Détecté',
    reportedAt: 'Signalé',
    acknowledgedAt: 'Pris en compte',
    containedAt: 'Maîtrisé',
    hqNotifiedAt: 'Siège informé',
    hqAcknowledgedAt: 'Accusé du siège',
    resolvedAt: 'Résolu',
    closedAt: 'Clôturé',
    summary: 'Résumé',
    narrative: 'Récit',
    timeline: 'Chronologie',
    evidence: 'Éléments de preuve',
    communications: 'Communications',
    closure: 'Clôture',
    closingSummary: 'Synthèse de clôture',
    lessonsLearned: 'Enseignements tirés',
    none: 'Rien d’enregistré.',
    yes: 'oui',
    no: 'non',
    unknown: 'inconnu',
    approx: 'env.',
    source: 'source',
    acquired: 'recueilli',
    by: 'par',
    method: 'méthode',
    storage: 'conservé à',
    custody: 'Chaîne de traçabilité',
    purpose: 'motif',
    acknowledged: 'accusé de réception',
    notAcknowledged: 'sans accusé de réception',
    generated: 'Généré le',
    page: 'Page',
    where: 'Où',
    when: 'Quand',
    whatHappened: 'Ce qui s’est passé',
    advice: 'Que faire',
    indicators: 'Indicateurs techniques à bloquer ou surveiller',
    defaultAdvice:
      'Restez vigilants, appliquez le plan de sécurité du bureau et signalez sans délai tout fait inhabituel au responsable de la sécurité.',
    period: 'Période',
    total: 'Incidents sur la période',
    byCategory: 'Par catégorie',
    bySeverity: 'Par gravité',
    byDomain: 'Par domaine',
    medians: 'Délais médians (heures)',
    timeToAcknowledge: 'Délai de prise en compte',
    timeToContain: 'Délai de maîtrise',
    timeToNotifyHq: "Délai d'information du siège",
    timeToClose: 'Délai de clôture',
    median: 'médiane',
    p90: 'p90',
    count: 'nombre',
    notVisible: 'Seuls les incidents que vous pouvez voir sont comptés.',
    sensitiveIncident: 'incident sensible',
  },
} as const;

export type Words = { [K in keyof (typeof WORDS)['en']]: string };
export function words(lang: ReportLang): Words {
  return WORDS[lang];
}

const VALUES: Record<ReportLang, Record<string, Record<string, string>>> = {
  en: {
    domain: {
      cyber: 'Cyber',
      information_security: 'Information security',
      physical: 'Physical',
      personnel_safety: 'Personnel safety',
      mixed: 'Mixed',
    },
    determination: {
      suspected: 'Suspected',
      confirmed: 'Confirmed',
      near_miss: 'Near miss',
      attempt: 'Attempt',
      false_positive: 'False positive',
    },
    status: {
      reported: 'Reported',
      triaged: 'Triaged',
      investigating: 'Investigating',
      contained: 'Contained',
      awaiting_external: 'Awaiting external',
      resolved: 'Resolved',
      closed: 'Closed',
      rejected: 'Rejected',
      duplicate: 'Duplicate',
    },
    severity: { '1': '1 — minor', '2': '2 — moderate', '3': '3 — serious', '4': '4 — critical' },
  },
  fr: {
    domain: {
      cyber: 'Cyber',
      information_security: "Sécurité de l'information",
      physical: 'Physique',
      personnel_safety: 'Sûreté du personnel',
      mixed: 'Mixte',
    },
    determination: {
      suspected: 'Suspecté',
      confirmed: 'Confirmé',
      near_miss: 'Presque-accident',
      attempt: 'Tentative',
      false_positive: 'Faux positif',
    },
    status: {
      reported: 'Signalé',
      triaged: 'Trié',
      investigating: 'En enquête',
      contained: 'Maîtrisé',
      awaiting_external: 'En attente externe',
      resolved: 'Résolu',
      closed: 'Clôturé',
      rejected: 'Rejeté',
      duplicate: 'Doublon',
    },
    severity: { '1': '1 — mineure', '2': '2 — modérée', '3': '3 — grave', '4': '4 — critique' },
  },
};

/** A value of a closed list in the reader's language (unknown values shown as words, never as codes). */
export function valueLabel(lang: ReportLang, list: 'domain' | 'determination' | 'status' | 'severity', v: unknown) {
  if (v === null || v === undefined) return '—';
  const key = String(v);
  return VALUES[lang][list]?.[key] ?? humanize(key);
}

export function humanize(code: string): string {
  const s = code.replace(/[_:]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Text safe for PDF and XML (DOCX): drops characters XML 1.0 forbids (C0 controls but tab/newline, lone
 * surrogates, U+FFFE/U+FFFF) and bidi overrides that would reorder the printed line; keeps every letter.
 */
export function safeText(s: string | null | undefined): string {
  if (!s) return '';
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c === 0x9 || c === 0xa) out += ch;
    else if (c === 0xd) out += '\n';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) continue;
    else if (c >= 0xd800 && c <= 0xdfff) continue;
    else if (c === 0xfffe || c === 0xffff) continue;
    else if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) continue;
    else out += ch;
  }
  return out;
}

/** A cell of a CSV that a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function csvSafe(v: string): string {
  const s = safeText(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

type MdNode = { type: string; value?: string; children?: MdNode[]; ordered?: boolean | null };

function inlineText(n: MdNode): string {
  if (n.type === 'text' || n.type === 'inlineCode') return n.value ?? '';
  if (n.type === 'html') return (n.value ?? '').replace(/<[^>]*>/g, '');
  if (n.type === 'break') return '\n';
  if (n.type === 'image') return '';
  return (n.children ?? []).map(inlineText).join('');
}

/**
 * Markdown as plain paragraphs: headings, paragraphs, list items (with a bullet), quotes and code as text.
 * Raw HTML never passes through: tags are dropped, their text kept.
 */
export function markdownParagraphs(md: string | null | undefined): string[] {
  const src = safeText(md);
  if (!src.trim()) return [];
  let tree: MdNode;
  try {
    tree = fromMarkdown(src.slice(0, 200_000)) as unknown as MdNode;
  } catch {
    return src
      .split(/\n{2,}/)
      .map((p) => p.trim())
      .filter(Boolean);
  }
  const out: string[] = [];
  const walk = (n: MdNode, prefix: string) => {
    switch (n.type) {
      case 'paragraph':
      case 'heading':
        out.push(prefix + inlineText(n).trim());
        return;
      case 'code':
        out.push(prefix + (n.value ?? ''));
        return;
      case 'html': {
        const t = (n.value ?? '').replace(/<[^>]*>/g, '').trim();
        if (t) out.push(prefix + t);
        return;
      }
      case 'list': {
        let i = 1;
        for (const item of n.children ?? []) {
          const bullet = n.ordered ? `${i++}. ` : '• ';
          const first = out.length;
          for (const c of item.children ?? []) walk(c, '');
          if (out.length > first) out[first] = prefix + bullet + out[first];
        }
        return;
      }
      case 'blockquote':
        for (const c of n.children ?? []) walk(c, `${prefix}“ `);
        return;
      case 'thematicBreak':
        return;
      default:
        for (const c of n.children ?? []) walk(c, prefix);
    }
  };
  walk(tree, '');
  return out.map((p) => p.replace(/[ \t]+\n/g, '\n')).filter((p) => p.trim().length > 0);
}

/** `2026-11-28 13:00 (Asia/Tbilisi)` in the office's zone; date only when `dateOnly`. */
export function formatTime(iso: string | null | undefined, timeZone: string, lang: ReportLang, dateOnly = false) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    zone = 'UTC';
  }
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  const date = `${p('year')}-${p('month')}-${p('day')}`;
  if (dateOnly) return date;
  void lang;
  return `${date} ${p('hour')}:${p('minute')} (${zone})`;
}

/** Country name from its ISO code in the reader's language. */
export function countryName(code: string | null, lang: ReportLang): string {
  if (!code) return '';
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes personal data from free text for anything that leaves the incident: the names given, e-mail
 * addresses, phone numbers and IP addresses. What it cannot know (a name nobody recorded) it cannot remove:
 * the advisory therefore prints only the closing texts the officer wrote for sharing, never the narrative.
 */
export function redact(text: string | null | undefined, names: readonly string[]): string {
  let s = safeText(text);
  const sorted = [...new Set(names.map((n) => n.trim()).filter((n) => n.length >= 3))].sort(
    (a, b) => b.length - a.length,
  );
  for (const n of sorted) {
    s = s.replace(new RegExp(escapeRe(n), 'giu'), '[…]');
    // Each part of a full name on its own too ("Nino" of "Nino Beridze").
    for (const part of n.split(/\s+/).filter((p) => p.length >= 3)) {
      s = s.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(part)}(?![\\p{L}\\p{N}])`, 'giu'), '[…]');
    }
  }
  return (
    s
      .replace(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu, '[…]')
      // A phone number: a leading + or at least nine digits (a date such as 2026-11-28 has eight).
      .replace(/\+?\d[\d\s().-]{6,}\d/g, (m) => (m.startsWith('+') || m.replace(/\D/g, '').length >= 9 ? '[…]' : m))
      .replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, '[…]')
  );
}
