import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { type FieldError, isApiError } from './api-client.ts';
import { fieldOfServerPath, issuesByField, serverErrorsByField } from './validation.ts';

/** What field components need from a form made by {@link useZodForm}. */
export interface FormFields<V> {
  values: V;
  setValue: <K extends keyof V>(key: K, value: V[K]) => void;
  touch: (key: keyof V) => void;
  errorOf: (key: keyof V) => string | undefined;
}

export interface ZodFormOptions<S extends z.ZodType, V extends object> {
  schema: S;
  initialValues: V;
  /** Converts what the inputs hold (strings, '' for nothing) into what the schema takes. */
  toInput?: (values: V) => unknown;
}

/**
 * Form state validated as you type with a shared zod schema. Errors show once a field was left or the
 * form was submitted; server field errors (from a problem document) show until the field changes.
 */
export function useZodForm<S extends z.ZodType, V extends object>({
  schema,
  initialValues,
  toInput,
}: ZodFormOptions<S, V>) {
  const { t } = useTranslation();
  const [values, setValues] = useState<V>(initialValues);
  const [baseline, setBaseline] = useState<V>(initialValues);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrorsState] = useState<Record<string, string>>({});
  const [unplacedErrors, setUnplacedErrors] = useState<FieldError[]>([]);

  const parsed = useMemo(() => schema.safeParse(toInput ? toInput(values) : values), [schema, toInput, values]);
  const clientErrors = useMemo(() => (parsed.success ? {} : issuesByField(parsed.error.issues, t)), [parsed, t]);

  const setValue = useCallback(<K extends keyof V>(key: K, value: V[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setServerErrorsState((e) => {
      if (!(String(key) in e)) return e;
      const { [String(key)]: _removed, ...rest } = e;
      return rest;
    });
  }, []);

  const touch = useCallback((key: keyof V) => {
    setTouched((s) => (s.has(String(key)) ? s : new Set(s).add(String(key))));
  }, []);

  const errorOf = (key: keyof V): string | undefined => {
    const k = String(key);
    const server = serverErrors[k];
    if (server) return server;
    if (submitted || touched.has(k)) return clientErrors[k];
    return undefined;
  };

  const reset = useCallback((next: V) => {
    setValues(next);
    setBaseline(next);
    setTouched(new Set());
    setSubmitted(false);
    setServerErrorsState({});
    setUnplacedErrors([]);
  }, []);

  /**
   * Records the field errors of a failed call next to their fields; those that match no field of this
   * form are returned (and kept in `unplacedErrors`) for an alert.
   */
  const applyServerError = useCallback(
    (error: unknown): FieldError[] => {
      if (!isApiError(error) || error.errors.length === 0) {
        setUnplacedErrors([]);
        return [];
      }
      const known = Object.keys(values);
      const mine: Record<string, string> = {};
      for (const [field, message] of Object.entries(serverErrorsByField(error.errors, t))) {
        if (known.includes(field)) mine[field] = message;
      }
      const unplaced = error.errors.filter((e) => !(fieldOfServerPath(e.path) in mine));
      setServerErrorsState(mine);
      setUnplacedErrors(unplaced);
      return unplaced;
    },
    [values, t],
  );

  /** Shows a message next to a field until it changes (e.g. "this code is taken" from a 409). */
  const setFieldError = useCallback((key: keyof V, message: string) => {
    setServerErrorsState((e) => ({ ...e, [String(key)]: message }));
  }, []);

  const handleSubmit = (onValid: (data: z.output<S>) => void) => (event?: { preventDefault(): void }) => {
    event?.preventDefault();
    setSubmitted(true);
    if (!parsed.success) {
      // Move focus to the first field that needs attention, once React has rendered the messages.
      requestAnimationFrame(() => {
        const el = document.querySelector<HTMLElement>('form [aria-invalid="true"]');
        el?.focus();
      });
      return;
    }
    onValid(parsed.data);
  };

  return {
    values,
    setValue,
    touch,
    errorOf,
    reset,
    applyServerError,
    setFieldError,
    handleSubmit,
    isValid: parsed.success,
    /** Server field errors that could not be shown next to a field. */
    unplacedErrors,
    /** Some server field error is shown next to its field. */
    hasServerFieldErrors: Object.keys(serverErrors).length > 0,
    isDirty: JSON.stringify(values) !== JSON.stringify(baseline),
  };
}
