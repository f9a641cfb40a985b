import { Alert, Anchor, Group, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { ChangePasswordInput, PASSWORD_MIN } from '../../../shared/auth/auth.schemas.ts';
import { safeNext } from '../../app/require-auth.tsx';
import { useSession } from '../../app/session.tsx';
import { AuthFrame } from '../../components/auth-frame.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useZodForm } from '../../lib/form.ts';
import { useChangePassword, useLogout } from './auth.api.ts';

/** The shared rule, plus the second typing of the new password that only the form knows about. */
const ChangePasswordForm = z
  .object({ ...ChangePasswordInput.shape, confirmPassword: z.string() })
  .refine((v) => v.confirmPassword === v.newPassword, {
    path: ['confirmPassword'],
    params: { messageKey: 'auth.passwordsDiffer' },
  });

export function ChangePasswordPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('auth.changePassword')} · ${t('app.name')}`);
  const { me } = useSession();
  const [search] = useSearchParams();
  const next = safeNext(search.get('next'));
  const navigate = useNavigate();
  const change = useChangePassword();
  const logout = useLogout();
  const forced = me.mustChangePassword;
  const form = useZodForm({
    schema: ChangePasswordForm,
    initialValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
  });

  const submit = form.handleSubmit(({ currentPassword, newPassword }) => {
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('auth.passwordChanged') });
          void navigate(next, { replace: true });
        },
        onError: (error) => {
          form.applyServerError(error);
        },
      },
    );
  });

  // A wrong current password comes back as 400/401/403 with a field error, or without one.
  const wrongCurrent =
    isApiError(change.error) &&
    (change.error.status === 401 || change.error.status === 403) &&
    change.error.errors.length === 0;

  return (
    <AuthFrame width={440}>
      <form onSubmit={submit} noValidate aria-labelledby="change-password-title">
        <Stack gap="md">
          <Title order={1} fz={20} id="change-password-title">
            {t('auth.changePassword')}
          </Title>
          {/* Lets password managers file the new password under the right account. */}
          <input type="text" name="username" autoComplete="username" value={me.email} readOnly hidden />
          {forced && (
            <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} aria-hidden />}>
              {t('auth.mustChangePassword')}
            </Alert>
          )}
          {change.error &&
            (wrongCurrent ? (
              <Alert role="alert" color="red" variant="light">
                {t('auth.wrongCurrentPassword')}
              </Alert>
            ) : (
              <ProblemAlert
                error={change.error}
                fieldErrors={form.unplacedErrors}
                fieldsShown={form.hasServerFieldErrors}
              />
            ))}
          <PasswordInput
            label={forced ? t('auth.oneTimePassword') : t('auth.currentPassword')}
            autoComplete="current-password"
            required
            autoFocus
            value={form.values.currentPassword}
            onChange={(e) => form.setValue('currentPassword', e.currentTarget.value)}
            onBlur={() => form.touch('currentPassword')}
            error={form.errorOf('currentPassword')}
            visibilityToggleButtonProps={{ 'aria-label': t('auth.togglePassword') }}
          />
          <PasswordInput
            label={t('auth.newPassword')}
            description={t('auth.passwordRule', { count: PASSWORD_MIN })}
            autoComplete="new-password"
            required
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
          <SubmitButton loading={change.isPending} fullWidth>
            {t('auth.setPassword')}
          </SubmitButton>
          <Group justify="center">
            {forced ? (
              <Text fz="sm" c="dimmed">
                <Anchor component="button" type="button" fz="sm" onClick={() => logout.mutate()}>
                  {t('userMenu.signOut')}
                </Anchor>
              </Text>
            ) : (
              <Anchor component={Link} to={next} fz="sm">
                {t('common.cancel')}
              </Anchor>
            )}
          </Group>
        </Stack>
      </form>
    </AuthFrame>
  );
}
