import { Anchor, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconShieldLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { MfaCodeInput } from '../../../shared/auth/auth.schemas.ts';
import { safeNext } from '../../app/require-auth.tsx';
import { useSession } from '../../app/session.tsx';
import { AuthFrame } from '../../components/auth-frame.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { useZodForm } from '../../lib/form.ts';
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

  const submit = form.handleSubmit((body) => {
    verify.mutate(body, {
      onSuccess: () => void navigate(next, { replace: true }),
      onError: (error) => form.applyServerError(error),
    });
  });

  if (!me.mfaPending && !verify.isPending) return <Navigate to={next} replace />;

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
