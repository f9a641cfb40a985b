import { Alert, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconAlertCircle, IconLogin } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { LoginInput } from '../../../shared/auth/auth.schemas.ts';
import { SessionSkeleton, safeNext } from '../../app/require-auth.tsx';
import { AuthFrame } from '../../components/auth-frame.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useZodForm } from '../../lib/form.ts';
import { useLogin, useMe } from './auth.api.ts';

export function LoginPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('auth.signIn')} · ${t('app.name')}`);
  const [search] = useSearchParams();
  const next = safeNext(search.get('next'));
  const navigate = useNavigate();
  const meQuery = useMe();
  const login = useLogin();
  const form = useZodForm({ schema: LoginInput, initialValues: { email: '', password: '' } });

  if (meQuery.isPending) return <SessionSkeleton />;
  if (meQuery.data && !login.isPending && !login.isSuccess) return <Navigate to={next} replace />;

  const submit = form.handleSubmit((body) => {
    login.mutate(body, {
      // The gate sends the user on to the second factor or a password change when those are due.
      onSuccess: () => void navigate(next, { replace: true }),
      onError: (error) => {
        form.applyServerError(error);
      },
    });
  });

  // 401 on sign-in means wrong e-mail or password: say so plainly, without telling which.
  const wrongCredentials = isApiError(login.error) && login.error.status === 401;

  return (
    <AuthFrame>
      <form onSubmit={submit} noValidate aria-labelledby="login-title">
        <Stack gap="md">
          <Title order={1} fz={20} id="login-title">
            {t('auth.signInTitle')}
          </Title>
          {wrongCredentials ? (
            <Alert role="alert" color="red" variant="light" icon={<IconAlertCircle size={18} aria-hidden />}>
              {t('auth.wrongCredentials')}
            </Alert>
          ) : (
            login.error && (
              <ProblemAlert
                error={login.error}
                fieldErrors={form.unplacedErrors}
                fieldsShown={form.hasServerFieldErrors}
              />
            )
          )}
          <TextInput
            label={t('auth.email')}
            type="email"
            autoComplete="username"
            inputMode="email"
            required
            data-autofocus
            autoFocus
            value={form.values.email}
            onChange={(e) => form.setValue('email', e.currentTarget.value)}
            onBlur={() => form.touch('email')}
            error={form.errorOf('email')}
          />
          <PasswordInput
            label={t('auth.password')}
            autoComplete="current-password"
            required
            value={form.values.password}
            onChange={(e) => form.setValue('password', e.currentTarget.value)}
            onBlur={() => form.touch('password')}
            error={form.errorOf('password')}
            visibilityToggleButtonProps={{ 'aria-label': t('auth.togglePassword') }}
          />
          <SubmitButton loading={login.isPending} leftSection={<IconLogin size={16} aria-hidden />} fullWidth>
            {t('auth.signIn')}
          </SubmitButton>
        </Stack>
      </form>
    </AuthFrame>
  );
}
