import type { ParseKeys, TFunction } from 'i18next';
import type { z } from 'zod';
import type { Contract } from '../../shared/contract.ts';
import type { FieldError } from './api-client.ts';

type Issue = z.core.$ZodIssue;

/** The body or query schema a contract declares, for forms that check the same rules before sending. */
export function schemaOf<C extends Contract, K extends 'body' | 'query' | 'params'>(
  contract: C,
  part: K,
): NonNullable<C[K]> {
  const schema = contract[part];
  if (!schema) throw new Error(`${contract.operationId} declares no ${part}`);
  return schema as NonNullable<C[K]>;
}

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
 * Server field errors carry a stable `code` (the problem document's `errors[].code`): the rule of the
 * server (`password.common`, `mfa.invalid_code`, …) or the zod issue code of a schema check
 * (`too_small`, …). Known codes are shown in the user's language; anything else as the server sent it.
 */
export const SERVER_CODES: Readonly<Record<string, ParseKeys>> = {
  'password.common': 'validation.passwordCommon',
  'password.common_padded': 'validation.passwordCommonVariant',
  'password.repeated': 'validation.passwordPattern',
  'password.contains_email': 'validation.passwordEmail',
  'password.wrong': 'validation.passwordWrong',
  'password.unchanged': 'validation.passwordUnchanged',
  'mfa.invalid_code': 'validation.codeInvalid',
  'reset.invalid_token': 'validation.resetLinkInvalid',
  // zod issue codes, for a schema check the server made (the form runs the same schema first, so rare).
  too_small: 'validation.tooSmall',
  too_big: 'validation.tooBig',
  invalid_format: 'validation.format',
  invalid_type: 'validation.required',
  invalid_value: 'validation.choose',
  unrecognized_keys: 'validation.unexpectedField',
  custom: 'validation.invalid',
};

export function serverMessage(error: FieldError, t: TFunction): string {
  const key = error.code ? SERVER_CODES[error.code] : undefined;
  return key ? t(key) : error.message;
}

export function serverErrorsByField(errors: readonly FieldError[], t: TFunction): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) {
    const field = fieldOfServerPath(e.path);
    if (!(field in out)) out[field] = serverMessage(e, t);
  }
  return out;
}
