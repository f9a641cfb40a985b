import { Alert, Anchor, Button, Divider, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { browserSupportsWebAuthn } from '@simplewebauthn/browser';
import { IconAlertCircle, IconFingerprint, IconShieldLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { MfaCodeInput } from '../../../shared/auth/auth.schemas.ts';
import { safeNext } from '../../app/require-auth.tsx';
import { useSession } from '../../app/session.tsx';
import { AuthFrame } from '../../components/auth-frame.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useZodForm } from '../../lib/form.ts';
import {
  isPasskeyCancelled,
  passkeyErrorText,
  usePasskeySignIn,
  useSecondFactorPasskeyOptions,
} from '../passkeys/passkeys.api.ts';
import { useLogout, useVerifyMfa } from './auth.api.ts';

/** Second step of signing in, for accounts with two-step verification. */
export function MfaVerifyPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('mfa.verifyTitle')} · ${t('app.name')}`);
  const [search] = useSearchParams();
  const next = safeNext(search.get('next'));
  const navigate = useNavigate();
  const verify = useVerifyMfa();
  const logout = useLogout();
  const form = useZodForm({ schema: MfaCodeInput, initialValues: { code: '' } });
  const { me } = useSession();
  // Offered only when the user has a passkey: the options call says so (400 when there is none).
  const passkeyOptions = useSecondFactorPasskeyOptions(me.mfaPending && browserSupportsWebAuthn());
  const passkey = usePasskeySignIn();
  const passkeyProblem =
    passkey.error && !isPasskeyCancelled(passkey.error)
      ? isApiError(passkey.error) && passkey.error.status === 401
        ? t('passkeys.notAccepted')
        : (passkeyErrorText(passkey.error, t) ?? t('passkeys.notAccepted'))
      : undefined;
  const signInWithPasskey = () => {
    verify.reset();
    passkey.mutate(passkeyOptions.data ?? undefined, {
      onSuccess: () => void navigate(next, { replace: true }),
    });
  };

  const submit = form.handleSubmit((body) => {
    verify.mutate(body, {
      onSuccess: () => void navigate(next, { replace: true }),
      onError: (error) => form.applyServerError(error),
    });
  });

  if (!me.mfaPending && !verify.isPending && !passkey.isPending) return <Navigate to={next} replace />;

  return (
    <AuthFrame>
      <form onSubmit={submit} noValidate aria-labelledby="mfa-title">
        <Stack gap="md">
          <Group gap="xs">
            <IconShieldLock size={22} aria-hidden />
            <Title order={1} fz={20} id="mfa-title">
              {t('mfa.verifyTitle')}
            </Title>
          </Group>
          <Text fz="sm" c="dimmed">
            {t('mfa.verifyText')}
          </Text>
          {verify.error && (
            <ProblemAlert
              error={verify.error}
              fieldErrors={form.unplacedErrors}
              fieldsShown={form.hasServerFieldErrors}
            />
          )}
          <TextInput
            label={t('mfa.code')}
            description={t('mfa.codeHelp')}
            autoComplete="one-time-code"
            inputMode="text"
            spellCheck={false}
            required
            autoFocus
            value={form.values.code}
            onChange={(e) => form.setValue('code', e.currentTarget.value)}
            onBlur={() => form.touch('code')}
            error={form.errorOf('code')}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: 2 } }}
          />
          <SubmitButton loading={verify.isPending} fullWidth>
            {t('mfa.verify')}
          </SubmitButton>
          {passkeyOptions.data && (
            <>
              <Divider label={t('auth.or')} labelPosition="center" />
              {passkeyProblem && (
                <Alert role="alert" color="red" variant="light" icon={<IconAlertCircle size={18} aria-hidden />}>
                  {passkeyProblem}
                </Alert>
              )}
              <Button
                variant="default"
                fullWidth
                leftSection={<IconFingerprint size={16} aria-hidden />}
                onClick={signInWithPasskey}
                loading={passkey.isPending}
              >
                {t('passkeys.useInstead')}
              </Button>
            </>
          )}
          <Group justify="center">
            <Anchor component="button" type="button" fz="sm" onClick={() => logout.mutate()}>
              {t('userMenu.signOut')}
            </Anchor>
          </Group>
        </Stack>
      </form>
    </AuthFrame>
  );
}
