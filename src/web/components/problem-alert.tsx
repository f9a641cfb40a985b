import { Alert, List, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type FieldError, isApiError } from '../lib/api-client.ts';
import { describeError } from '../lib/problem-text.ts';
import { fieldOfServerPath, serverMessage } from '../lib/validation.ts';

interface ProblemAlertProps {
  error: unknown;
  /** Field errors that could not be shown next to a field. */
  fieldErrors?: FieldError[];
  /** The form already shows the server's field errors next to the fields. */
  fieldsShown?: boolean;
  children?: ReactNode;
}

/** Inline alert for a failed action (form submission, delete…), with the problem document's details. */
export function ProblemAlert({ error, fieldErrors, fieldsShown, children }: ProblemAlertProps) {
  const { t } = useTranslation();
  if (!error) return null;
  // A validation error whose every message sits next to its field needs no second telling.
  const isValidation = isApiError(error) && (error.status === 400 || error.status === 422);
  if (isValidation && fieldsShown && (fieldErrors?.length ?? 0) === 0 && !children) return null;
  const { title, detail, requestId } = describeError(error, t);
  return (
    <Alert role="alert" color="red" variant="light" title={title} icon={<IconAlertCircle size={18} aria-hidden />}>
      {detail && <Text fz="sm">{detail}</Text>}
      {fieldErrors && fieldErrors.length > 0 && (
        <List size="sm" mt={4}>
          {fieldErrors.map((e) => {
            const field = fieldOfServerPath(e.path);
            return (
              <List.Item key={`${e.path}:${e.code ?? e.message}`}>
                {field ? `${field}: ` : ''}
                {serverMessage(e, t)}
              </List.Item>
            );
          })}
        </List>
      )}
      {requestId && (
        <Text fz="xs" c="dimmed" mt={4}>
          {t('errors.requestId')} {requestId}
        </Text>
      )}
      {children}
    </Alert>
  );
}
