/**
 * The words of every notification, per kind and language. Notifications carry a kind and plain
 * parameters; the text is made here at delivery time, in the reader's language (ADR 0010). E-mail
 * HTML escapes every parameter: they are user data.
 */
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export function pickLanguage(...candidates: (string | null | undefined)[]): Language {
  for (const c of candidates) {
    const base = c?.toLowerCase().split(/[-_]/)[0];
    if (base && (LANGUAGES as readonly string[]).includes(base)) return base as Language;
  }
  return 'en';
}

interface Template {
  subject: string;
  body: string;
}

type Params = Readonly<Record<string, string | number | null>>;

const TEMPLATES: Record<string, Record<Language, Template>> = {
  'task.assigned': {
    en: { subject: 'Task assigned to you: {title}', body: '{actor} assigned you the task “{title}”. Due: {dueAt}.' },
    fr: {
      subject: 'Tâche qui vous est confiée : {title}',
      body: '{actor} vous a confié la tâche « {title} ». Échéance : {dueAt}.',
    },
  },
  'task.due_soon': {
    en: { subject: 'Task due soon: {title}', body: 'The task “{title}” is due on {dueAt}.' },
    fr: { subject: 'Tâche bientôt due : {title}', body: 'La tâche « {title} » est due le {dueAt}.' },
  },
  'task.overdue': {
    en: { subject: 'Task overdue: {title}', body: 'The task “{title}” was due on {dueAt} and is not done.' },
    fr: {
      subject: 'Tâche en retard : {title}',
      body: 'La tâche « {title} » était due le {dueAt} et n’est pas terminée.',
    },
  },
  'task.comment': {
    en: { subject: 'New comment on {title}', body: '{actor} commented on “{title}”: {comment}' },
    fr: { subject: 'Nouveau commentaire sur {title}', body: '{actor} a commenté « {title} » : {comment}' },
  },
  'task.closed': {
    en: { subject: 'Task closed: {title}', body: '{actor} closed the task “{title}”.' },
    fr: { subject: 'Tâche clôturée : {title}', body: '{actor} a clôturé la tâche « {title} ».' },
  },
  'checklist.failed_item': {
    en: {
      subject: 'Checklist item failed: {item}',
      body: '“{item}” failed in the checklist “{title}” ({actor}).',
    },
    fr: {
      subject: 'Point de contrôle en échec : {item}',
      body: '« {item} » est en échec dans la liste de contrôle « {title} » ({actor}).',
    },
  },
  'incident.reported': {
    en: {
      subject: 'Incident reported: {reference} {title}',
      body: '{actor} reported the incident {reference} “{title}”. Triage it and set its severity.',
    },
    fr: {
      subject: 'Incident signalé : {reference} {title}',
      body: '{actor} a signalé l’incident {reference} « {title} ». Qualifiez-le et fixez sa gravité.',
    },
  },
  'incident.assigned': {
    en: {
      subject: 'Incident assigned to you: {reference} {title}',
      body: '{actor} made you the owner of the incident {reference} “{title}” (severity {severity}).',
    },
    fr: {
      subject: 'Incident qui vous est confié : {reference} {title}',
      body: '{actor} vous a confié l’incident {reference} « {title} » (gravité {severity}).',
    },
  },
  'incident.review_requested': {
    en: {
      subject: 'Review requested: {reference} {title}',
      body: '{actor} asks you to review and sign off the closure of the incident {reference} “{title}”.',
    },
    fr: {
      subject: 'Relecture demandée : {reference} {title}',
      body: '{actor} vous demande de relire et de valider la clôture de l’incident {reference} « {title} ».',
    },
  },
  'incident.closed': {
    en: {
      subject: 'Incident closed: {reference} {title}',
      body: 'The incident {reference} “{title}” was closed by {actor}.',
    },
    fr: {
      subject: 'Incident clos : {reference} {title}',
      body: 'L’incident {reference} « {title} » a été clos par {actor}.',
    },
  },
  'incident.escalated': {
    en: {
      subject: 'Escalation, severity {severity}: {reference} {title}',
      body: 'The incident {reference} “{title}” (severity {severity}) is escalated to you. Acknowledge it by {dueAt}.',
    },
    fr: {
      subject: 'Escalade, gravité {severity} : {reference} {title}',
      body: 'L’incident {reference} « {title} » (gravité {severity}) vous est remonté. Accusez-en réception avant le {dueAt}.',
    },
  },
  'incident.escalation_overdue': {
    en: {
      subject: 'Not acknowledged in time: {reference} {title}',
      body: 'The escalation of the incident {reference} “{title}” (severity {severity}) was not acknowledged in time and now stands at level {level}. Acknowledge it in Outpost now.',
    },
    fr: {
      subject: 'Sans accusé de réception à temps : {reference} {title}',
      body: 'L’escalade de l’incident {reference} « {title} » (gravité {severity}) n’a pas été acquittée à temps et en est maintenant au niveau {level}. Accusez-en réception dans Outpost dès maintenant.',
    },
  },
  'incident.hq_acknowledged': {
    en: {
      subject: 'HQ acknowledged: {reference} {title}',
      body: '{actor} acknowledged the escalation of the incident {reference} “{title}”.',
    },
    fr: {
      subject: 'Accusé de réception du siège : {reference} {title}',
      body: '{actor} a accusé réception de l’escalade de l’incident {reference} « {title} ».',
    },
  },
  'incident.immediate_alert': {
    en: {
      subject: 'Immediate alert, severity {severity}: {reference} {title}',
      body: 'The incident {reference} “{title}” (severity {severity}) needs the head of office’s attention now.',
    },
    fr: {
      subject: 'Alerte immédiate, gravité {severity} : {reference} {title}',
      body: 'L’incident {reference} « {title} » (gravité {severity}) requiert dès maintenant l’attention du chef de bureau.',
    },
  },
  'system.test': {
    en: {
      subject: 'Outpost test message',
      body: 'This is a test message from Outpost, sent by {actor}. If you can read it, delivery works.',
    },
    fr: {
      subject: 'Message de test Outpost',
      body: 'Ceci est un message de test d’Outpost, envoyé par {actor}. Si vous le lisez, l’envoi fonctionne.',
    },
  },
};

const FALLBACK: Record<Language, Template> = {
  en: { subject: 'Outpost notification: {kind}', body: 'Something happened in Outpost ({kind}).' },
  fr: { subject: 'Notification Outpost : {kind}', body: 'Un événement a eu lieu dans Outpost ({kind}).' },
};

interface Words {
  open: string;
  footer: string;
  digestSubject: string;
  digestIntro: string;
  someone: string;
  none: string;
  /** What stands for `{title}` when the record is sensitive (params `sensitive`): never its own title. */
  sensitive: string;
}

const WORDS: Record<Language, Words> = {
  en: {
    open: 'Open in Outpost',
    footer: 'You receive this e-mail because of your notification settings in Outpost.',
    digestSubject: 'Outpost: {count} unread notifications',
    digestIntro: 'Here is what happened since your last summary:',
    someone: 'Someone',
    none: '—',
    sensitive: 'Sensitive incident',
  },
  fr: {
    open: 'Ouvrir dans Outpost',
    footer: 'Vous recevez cet e-mail en raison de vos préférences de notification dans Outpost.',
    digestSubject: 'Outpost : {count} notifications non lues',
    digestIntro: 'Voici ce qui s’est passé depuis votre dernier résumé :',
    someone: 'Quelqu’un',
    none: '—',
    sensitive: 'Incident sensible',
  },
};

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A timestamp parameter as a reader in `lang` writes it, in the time zone given by the `timeZone`
 * parameter (the office's) or UTC, with the zone named so nobody guesses.
 */
function formatTime(iso: string, lang: Language, timeZone: unknown): string {
  const zone = typeof timeZone === 'string' && timeZone ? timeZone : 'UTC';
  try {
    return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: zone,
      timeZoneName: 'short',
    }).format(new Date(iso));
  } catch {
    return iso;
  }
}

function fill(template: string, params: Params, lang: Language, kind: string): string {
  return template.replace(/\{(\w+)\}/g, (_m, key: string) => {
    if (key === 'kind') return kind;
    if (key === 'title' && params.sensitive) return WORDS[lang].sensitive;
    const v = params[key];
    if (v === null || v === undefined || v === '') return key === 'actor' ? WORDS[lang].someone : WORDS[lang].none;
    if (typeof v === 'string' && ISO_TIME.test(v)) return formatTime(v, lang, params.timeZone);
    return String(v);
  });
}

function templateFor(kind: string, lang: Language): Template {
  return TEMPLATES[kind]?.[lang] ?? FALLBACK[lang];
}

/** Whether a kind has its own words in a language (else a generic text is used). */
export function hasTemplate(kind: string, lang: Language): boolean {
  return Boolean(TEMPLATES[kind]?.[lang]);
}

/** Path of a record in the web app. */
/** The web page of the record a notification is about (sites live on their office's page). */
export function linkFor(entityType: string, entityId: string, officeId: string | null = null): string {
  const id = encodeURIComponent(entityId);
  switch (entityType) {
    case 'task':
      return `/tasks/${id}`;
    case 'checklist_run':
      return `/inspections/runs/${id}`;
    case 'incident':
      return `/incidents/${id}`;
    case 'site':
      return officeId ? `/offices/${encodeURIComponent(officeId)}/sites` : '/offices';
    case 'office':
      return `/offices/${id}`;
    default:
      return '/notifications';
  }
}

export interface Rendered {
  subject: string;
  text: string;
}

/** Subject and plain text of one notification. */
export function render(kind: string, params: Params, lang: Language): Rendered {
  const t = templateFor(kind, lang);
  return { subject: fill(t.subject, params, lang, kind), text: fill(t.body, params, lang, kind) };
}

export interface Email {
  subject: string;
  text: string;
  html: string;
}

function page(lang: Language, inner: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"></head><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1b1f24">${inner}<p style="color:#667;font-size:12px">${escapeHtml(WORDS[lang].footer)}</p></body></html>`;
}

/** The e-mail for one notification: HTML and plain text, every parameter escaped in the HTML. */
export function renderEmail(kind: string, params: Params, lang: Language, link: string): Email {
  const t = templateFor(kind, lang);
  const escaped = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, v === null ? null : escapeHtml(String(v))]),
  );
  const subject = fill(t.subject, params, lang, kind);
  const text = `${fill(t.body, params, lang, kind)}\n\n${WORDS[lang].open}: ${link}\n\n-- \n${WORDS[lang].footer}\n`;
  const html = page(
    lang,
    `<p>${fill(escapeHtml(t.body), escaped, lang, escapeHtml(kind))}</p><p><a href="${escapeHtml(link)}">${escapeHtml(WORDS[lang].open)}</a></p>`,
  );
  return { subject, text, html };
}

export interface DigestItem {
  kind: string;
  params: Params;
  link: string;
  createdAt: string;
}

/** The daily summary of unread notifications. */
export function renderDigest(items: DigestItem[], lang: Language): Email {
  const w = WORDS[lang];
  const subject = fill(w.digestSubject, { count: items.length }, lang, 'digest');
  const lines = items.map((i) => {
    const r = render(i.kind, i.params, lang);
    return { r, link: i.link, at: i.createdAt };
  });
  const text = `${w.digestIntro}\n\n${lines.map((l) => `- ${l.r.subject}\n  ${l.r.text}\n  ${l.link}`).join('\n')}\n\n-- \n${w.footer}\n`;
  const html = page(
    lang,
    `<p>${escapeHtml(w.digestIntro)}</p><ul>${lines
      .map((l) => `<li><a href="${escapeHtml(l.link)}">${escapeHtml(l.r.subject)}</a><br>${escapeHtml(l.r.text)}</li>`)
      .join('')}</ul>`,
  );
  return { subject, text, html };
}
