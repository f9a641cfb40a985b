import type { ParseKeys, TFunction } from 'i18next';
import type { z } from 'zod';
import type { FieldError } from './api-client.ts';

type Issue = z.core.$ZodIssue;

/** The form field an issue or a server error belongs to: the first segment of its path. */
export function fieldOf(path: readonly PropertyKey[]): string {
  const first = path[0];
  return first === undefined ? '' : String(first);
}

/** Server error paths come as `body.name`, `/name`, `name` or `countries[0]`: keep the field name. */
export function fieldOfServerPath(path: string): string {
  const segments = path.split(/[./[\]]/).filter(Boolean);
  if (segments[0] === 'body' || segments[0] === 'query' || segments[0] === 'params') segments.shift();
  return segments[0] ?? '';
}

const countryFields = new Set(['countries', 'country']);
const pointFields = new Set(['latitude', 'longitude']);

/** Turns a zod issue from a shared schema into a message in the user's language. */
export function issueMessage(issue: Issue, t: TFunction): string {
  const field = fieldOf(issue.path);
  switch (issue.code) {
    case 'too_small': {
      const count = Number(issue.minimum);
      if (issue.origin === 'string') {
        return count <= 1 ? t('validation.required') : t('validation.minLength', { count });
      }
      if (issue.origin === 'array') {
        return countryFields.has(field) ? t('validation.countriesRequired') : t('validation.minItems', { count });
      }
      return t('validation.min', { value: count });
    }
    case 'too_big': {
      const count = Number(issue.maximum);
      if (issue.origin === 'string') return t('validation.maxLength', { count });
      if (issue.origin === 'array') return t('validation.maxItems', { count });
      return t('validation.max', { value: count });
    }
    case 'invalid_format': {
      if (issue.format === 'email') return t('validation.email');
      if (field === 'code') return t('validation.officeCode');
      if (countryFields.has(field)) return t('validation.countryCode');
      return t('validation.format');
    }
    case 'invalid_type':
      if (issue.expected === 'number' || issue.expected === 'int') return t('validation.number');
      return t('validation.required');
    case 'invalid_value':
      return t('validation.choose');
    case 'custom': {
      // A form-only rule can name its own message: refine(…, { params: { messageKey: 'auth.passwordsDiffer' } }).
      const messageKey: unknown = issue.params?.messageKey;
      if (typeof messageKey === 'string') return t(messageKey as ParseKeys);
      if (field === 'timezone') return t('validation.timezone');
      if (countryFields.has(field)) return t('validation.uniqueCountries');
      if (pointFields.has(field)) return t('validation.pointWhole');
      return t('validation.invalid');
    }
    default:
      return t('validation.invalid');
  }
}

/** First message per field, in the user's language. */
export function issuesByField(issues: readonly Issue[], t: TFunction): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const field = fieldOf(issue.path);
    if (!(field in out)) out[field] = issueMessage(issue, t);
  }
  return out;
}

/**
 * Server field messages are English. Those we know are shown in the user's language; others as sent.
 * (A machine-readable code per error would make this exact; see the report to the server side.)
 */
const KNOWN_SERVER_MESSAGES: Record<string, ParseKeys> = {
  'is a commonly used password; choose another': 'validation.passwordCommon',
  'is a common password with a few characters added; choose another': 'validation.passwordCommonVariant',
  'is a short pattern repeated; choose another': 'validation.passwordPattern',
  'must not contain your e-mail address': 'validation.passwordEmail',
  'is not valid (or was already used)': 'validation.codeInvalid',
  'is not valid': 'validation.invalid',
};

export function serverMessage(message: string, t: TFunction): string {
  const key = KNOWN_SERVER_MESSAGES[message];
  return key ? t(key) : message;
}

export function serverErrorsByField(errors: readonly FieldError[], t: TFunction): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) {
    const field = fieldOfServerPath(e.path);
    if (!(field in out)) out[field] = serverMessage(e.message, t);
  }
  return out;
}
