import { describe, expect, it } from 'vitest';
import { linkFor, render, renderEmail } from './notifications.templates.ts';

describe('notification texts', () => {
  const params = { title: 'Radio check', dueAt: '2026-12-01T04:55:20.804Z', timeZone: 'Asia/Tbilisi', actor: 'Levan' };

  it('write times in the reader’s language and the office’s time zone, never as raw ISO text', () => {
    const en = render('task.assigned', params, 'en').text;
    expect(en).not.toContain('2026-12-01T');
    expect(en).toMatch(/1 Dec 2026, 08:55 GMT\+4/);
    const fr = render('task.assigned', params, 'fr').text;
    expect(fr).toMatch(/1 déc\. 2026.*08:55 UTC\+4/);
    const utc = render('task.due_soon', { ...params, timeZone: null }, 'en').text;
    expect(utc).toMatch(/04:55 UTC/);
  });

  it('escape parameters in the HTML part', () => {
    const e = renderEmail('task.assigned', { ...params, title: '<img src=x onerror=alert(1)>' }, 'en', 'https://o/x');
    expect(e.html).not.toContain('<img');
    expect(e.html).toContain('&lt;img');
    expect(e.text).toContain('<img src=x onerror=alert(1)>');
  });

  it('word a sensitive incident in the language of the reader, and never show a title for it', () => {
    const sensitive = { reference: 'TBS-2026-007', title: 'Leaked words', sensitive: 1, actor: 'Nino' };
    expect(render('incident.reported', sensitive, 'en').subject).toBe(
      'Incident reported: TBS-2026-007 Sensitive incident',
    );
    expect(render('incident.reported', sensitive, 'fr').subject).toBe(
      'Incident signalé : TBS-2026-007 Incident sensible',
    );
    const mail = renderEmail('incident.reported', sensitive, 'fr', 'https://o/i');
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toContain('Leaked words');
    expect(mail.html).toContain('Incident sensible');
  });

  it('link records to pages the web app has', () => {
    expect(linkFor('task', 'a')).toBe('/tasks/a');
    expect(linkFor('checklist_run', 'b')).toBe('/inspections/runs/b');
    expect(linkFor('site', 's', 'o')).toBe('/offices/o/sites');
    expect(linkFor('incident', 'i')).toBe('/incidents/i');
  });
});
