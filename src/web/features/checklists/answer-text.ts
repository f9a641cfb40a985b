import type { TFunction } from 'i18next';
import type { Answer, ChecklistItem } from '../../../shared/checklists/checklists.schemas.ts';
import { loc } from './checklist-text.ts';

/** The expected range of a number item, e.g. "1–5 bar", "at least 2", or undefined when open. */
export function rangeText(item: ChecklistItem, t: TFunction, language: string): string | undefined {
  const n = (v: number) => new Intl.NumberFormat(language).format(v);
  const unit = item.unit ? ` ${item.unit}` : '';
  if (item.min !== null && item.max !== null)
    return t('checklists.range.between', { min: n(item.min), max: n(item.max), unit });
  if (item.min !== null) return t('checklists.range.atLeast', { min: n(item.min), unit });
  if (item.max !== null) return t('checklists.range.atMost', { max: n(item.max), unit });
  return undefined;
}

/** An answer as a short text (photos excepted: shown as a picture). */
export function answerText(
  item: ChecklistItem,
  answer: Pick<Answer, 'value' | 'na'> | undefined,
  t: TFunction,
  language: string,
): string {
  if (!answer) return t('checklists.notAnswered');
  if (answer.na || answer.value === 'na') return t('checklists.answers.na');
  const v = answer.value;
  if (v === null) return t('checklists.notAnswered');
  switch (item.type) {
    case 'yes_no_na':
      return v === 'yes' ? t('checklists.answers.yes') : v === 'no' ? t('checklists.answers.no') : String(v);
    case 'number':
      return `${typeof v === 'number' ? new Intl.NumberFormat(language).format(v) : v}${item.unit ? ` ${item.unit}` : ''}`;
    case 'choice': {
      const o = item.options.find((x) => x.value === v);
      return o ? loc(o.label, o.labelFr, language) : String(v);
    }
    case 'photo':
      return t('checklists.answers.photo');
    default:
      return String(v);
  }
}
