import { Badge, Tooltip } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { IncidentStatus, Tlp } from '../../../shared/incidents/incidents.enums.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import type { IncidentCategory } from './incidents.api.ts';

export const SEVERITY_COLOR: Record<number, string> = { 1: 'gray', 2: 'yellow', 3: 'orange', 4: 'red' };

/** Badge colours with enough contrast (WCAG AA) for the text on them, light or dark scheme. */
const SEVERITY_BADGE: Record<number, { color: string; c: string; variant: 'filled' | 'default' }> = {
  1: { color: 'gray', c: 'var(--mantine-color-text)', variant: 'default' },
  2: { color: 'yellow.4', c: 'black', variant: 'filled' },
  3: { color: 'orange.5', c: 'black', variant: 'filled' },
  4: { color: 'red.9', c: 'white', variant: 'filled' },
};

export const INCIDENT_STATUS_COLOR: Record<IncidentStatus, string> = {
  reported: 'blue',
  triaged: 'cyan',
  investigating: 'indigo',
  contained: 'violet',
  awaiting_external: 'yellow',
  resolved: 'teal',
  closed: 'gray',
  rejected: 'gray',
  duplicate: 'gray',
};

/** The FIRST TLP 2.0 colours (black text on them; TLP:RED in a darker red for white text). */
const TLP_BADGE: Record<Tlp, { color: string; c: string; variant: 'filled' | 'default' }> = {
  clear: { color: 'gray', c: 'var(--mantine-color-text)', variant: 'default' },
  green: { color: '#33ff00', c: 'black', variant: 'filled' },
  amber: { color: '#ffc000', c: 'black', variant: 'filled' },
  'amber+strict': { color: '#ffc000', c: 'black', variant: 'filled' },
  red: { color: 'red.9', c: 'white', variant: 'filled' },
};

export function SeverityBadge({ severity }: { severity: number | null | undefined }) {
  const { t } = useTranslation();
  if (!severity) {
    return (
      <Badge color="gray" variant="outline" radius="sm" tt="none">
        {t('incidents.severity.none')}
      </Badge>
    );
  }
  const key = String(severity) as '1' | '2' | '3' | '4';
  const look = SEVERITY_BADGE[severity] ?? SEVERITY_BADGE[1];
  return (
    <Tooltip label={t(`incidents.severity.criteria.${key}`)} withArrow multiline w={280}>
      <Badge color={look?.color} c={look?.c} variant={look?.variant} radius="sm" tt="none">
        {t('incidents.severity.short', { level: severity })} · {t(`incidents.severity.name.${key}`)}
      </Badge>
    </Tooltip>
  );
}

export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={INCIDENT_STATUS_COLOR[status] ?? 'gray'} variant="light" radius="sm" tt="none">
      {t(`incidents.status.${status}`)}
    </Badge>
  );
}

export function TlpBadge({ tlp }: { tlp: Tlp }) {
  return (
    <Badge
      color={TLP_BADGE[tlp].color}
      c={TLP_BADGE[tlp].c}
      variant={TLP_BADGE[tlp].variant}
      radius="sm"
      tt="uppercase"
      ff="monospace"
    >
      TLP:{tlp}
    </Badge>
  );
}

/** A lock with its words: sensitive incidents are seen by named people only. */
export function SensitiveMark() {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('incidents.sensitiveHint')} withArrow multiline w={260}>
      <IconLock size={16} role="img" aria-label={t('incidents.sensitive')} color="var(--mantine-color-red-filled)" />
    </Tooltip>
  );
}

/** The category's name in the user's language, or its `family:type` code when it is not in the catalogue. */
export function categoryLabel(code: string, categories: readonly IncidentCategory[] | undefined): string {
  const c = categories?.find((x) => x.code === code);
  if (!c) return code;
  return currentLanguage() === 'fr' && c.labelFr ? c.labelFr : c.label;
}

/** `datetime-local` value (local time of the browser) ↔ ISO instant. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
