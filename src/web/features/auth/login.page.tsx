import { Alert, Button, Divider, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { browserSupportsWebAuthn } from '@simplewebauthn/browser';
import { IconAlertCircle, IconFingerprint, IconId, IconLogin } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { LoginInput } from '../../../shared/auth/auth.schemas.ts';
import { SSO_ERRORS } from '../../../shared/sso/sso.contract.ts';
import { SessionSkeleton, safeNext } from '../../app/require-auth.tsx';
import { AuthFrame } from '../../components/auth-frame.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useZodForm } from '../../lib/form.ts';
import { isPasskeyCancelled, passkeyErrorText, usePasskeySignIn } from '../passkeys/passkeys.api.ts';
import { ssoStartUrl, useSsoInfo } from '../sso/sso.api.ts';
import { useLogin, useMe } from './auth.api.ts';

export function LoginPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('auth.signIn')} · ${t('app.name')}`);
  const [search] = useSearchParams();
  const next = safeNext(search.get('next'));
  const navigate = useNavigate();
  const meQuery = useMe();
  const login = useLogin();
  const passkey = usePasskeySignIn();
  const sso = useSsoInfo();
  const form = useZodForm({ schema: LoginInput, initialValues: { email: '', password: '' } });
  // Only known codes are shown (translated); anything else in the URL reads as a generic failure.
  const ssoParam = search.get('sso_error');
  const ssoError = ssoParam === null ? null : (SSO_ERRORS.find((c) => c === ssoParam) ?? 'provider_error');
  const passkeySupported = browserSupportsWebAuthn();

  if (meQuery.isPending) return <SessionSkeleton />;
  const signingIn = login.isPending || login.isSuccess || passkey.isPending || passkey.isSuccess;
  if (meQuery.data && !signingIn) return <Navigate to={next} replace />;

  const signInWithPasskey = () => {
    login.reset();
    passkey.mutate(undefined, { onSuccess: () => void navigate(next, { replace: true }) });
  };
  // Closing the browser's dialog is a choice, not an error; a passkey the server refused is one.
  const passkeyProblem =
    passkey.error && !isPasskeyCancelled(passkey.error)
      ? isApiError(passkey.error) && passkey.error.status === 401
        ? t('passkeys.notAccepted')
        : passkeyErrorText(passkey.error, t)
      : undefined;

  const submit = form.handleSubmit((body) => {
    passkey.reset();
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
          {ssoError && !login.error && !passkey.error && (
            <Alert
              role="alert"
              color="red"
              variant="light"
              icon={<IconAlertCircle size={18} aria-hidden />}
              title={t('sso.failed')}
            >
              {t(`sso.errors.${ssoError}`)}
            </Alert>
          )}
          {passkeyProblem ? (
            <Alert role="alert" color="red" variant="light" icon={<IconAlertCircle size={18} aria-hidden />}>
              {passkeyProblem}
            </Alert>
          ) : (
            passkey.error && !isPasskeyCancelled(passkey.error) && <ProblemAlert error={passkey.error} />
          )}
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
          {(passkeySupported || sso.data?.enabled) && <Divider label={t('auth.or')} labelPosition="center" />}
          {passkeySupported && (
            <Button
              variant="default"
              fullWidth
              leftSection={<IconFingerprint size={16} aria-hidden />}
              onClick={signInWithPasskey}
              loading={passkey.isPending}
            >
              {t('passkeys.signIn')}
            </Button>
          )}
          {sso.data?.enabled && (
            <Button
              component="a"
              href={ssoStartUrl(next)}
              variant="default"
              fullWidth
              leftSection={<IconId size={16} aria-hidden />}
            >
              {t('sso.signIn', { label: sso.data.label ?? t('sso.defaultLabel') })}
            </Button>
          )}
        </Stack>
      </form>
    </AuthFrame>
  );
}
