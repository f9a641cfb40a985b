import { Alert, Anchor, Button, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { z } from 'zod';
import { completePasswordReset } from '../../../shared/auth/auth.contract.ts';
import { PASSWORD_MIN, PasswordResetInput } from '../../../shared/auth/auth.schemas.ts';
import { AuthFrame } from '../../components/auth-frame.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { call, isApiError } from '../../lib/api-client.ts';
import { useZodForm } from '../../lib/form.ts';
import { fieldOfServerPath } from '../../lib/validation.ts';

const ResetForm = z
  .object({ newPassword: PasswordResetInput.shape.newPassword, confirmPassword: z.string() })
  .refine((v) => v.confirmPassword === v.newPassword, {
    path: ['confirmPassword'],
    params: { messageKey: 'auth.passwordsDiffer' },
  });

/** The token rides in the URL fragment (`/reset-password#token=…`), which browsers never send to a server. */
function tokenFromHash(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}

/** Setting a new password with a one-time link (from `outpost user reset-password`). Public. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('reset.title')} · ${t('app.name')}`);
  const [token, setToken] = useState(tokenFromHash);
  useEffect(() => {
    const onHash = () => setToken(tokenFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const tokenValid = PasswordResetInput.shape.token.safeParse(token).success;
  const reset = useMutation({
    mutationFn: (newPassword: string) => call(completePasswordReset, { body: { token, newPassword } }),
  });
  const form = useZodForm({ schema: ResetForm, initialValues: { newPassword: '', confirmPassword: '' } });

  const submit = form.handleSubmit(({ newPassword }) => {
    reset.mutate(newPassword, { onError: (error) => form.applyServerError(error) });
  });

  // A used, expired or unknown link: a 400 naming the token (or a 404/410).
  const linkDead =
    isApiError(reset.error) &&
    (reset.error.errors.some((e) => e.code === 'reset.invalid_token' || fieldOfServerPath(e.path) === 'token') ||
      [404, 410].includes(reset.error.status));

  return (
    <AuthFrame>
      <Stack gap="md">
        <Title order={1} fz={20}>
          {t('reset.title')}
        </Title>
        {reset.isSuccess ? (
          <>
            <Alert color="teal" variant="light" icon={<IconCheck size={18} aria-hidden />} title={t('reset.done')}>
              {t('reset.doneText')}
            </Alert>
            <Button component={Link} to="/login">
              {t('auth.signIn')}
            </Button>
          </>
        ) : !tokenValid || linkDead ? (
          <>
            <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />}>
              {t('reset.badLink')}
            </Alert>
            <Anchor component={Link} to="/login" fz="sm" ta="center">
              {t('reset.toSignIn')}
            </Anchor>
          </>
        ) : (
          <form onSubmit={submit} noValidate aria-label={t('reset.title')}>
            <Stack gap="md">
              <Text fz="sm" c="dimmed">
                {t('reset.text')}
              </Text>
              {reset.error && (
                <ProblemAlert
                  error={reset.error}
                  fieldErrors={form.unplacedErrors}
                  fieldsShown={form.hasServerFieldErrors}
                />
              )}
              <PasswordInput
                label={t('auth.newPassword')}
                description={t('auth.passwordRule', { count: PASSWORD_MIN })}
                autoComplete="new-password"
                required
                autoFocus
                value={form.values.newPassword}
                onChange={(e) => form.setValue('newPassword', e.currentTarget.value)}
                onBlur={() => form.touch('newPassword')}
                error={form.errorOf('newPassword')}
                visibilityToggleButtonProps={{ 'aria-label': t('auth.togglePassword') }}
              />
              <PasswordInput
                label={t('auth.confirmPassword')}
                autoComplete="new-password"
                required
                value={form.values.confirmPassword}
                onChange={(e) => form.setValue('confirmPassword', e.currentTarget.value)}
                onBlur={() => form.touch('confirmPassword')}
                error={form.errorOf('confirmPassword')}
                visibilityToggleButtonProps={{ 'aria-label': t('auth.togglePassword') }}
              />
              <SubmitButton loading={reset.isPending} fullWidth>
                {t('auth.setPassword')}
              </SubmitButton>
            </Stack>
          </form>
        )}
      </Stack>
    </AuthFrame>
  );
}
