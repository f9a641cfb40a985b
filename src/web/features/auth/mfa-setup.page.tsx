import {
  Alert,
  Anchor,
  Button,
  Code,
  CopyButton,
  Group,
  Image,
  List,
  Loader,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconCheck, IconCopy, IconInfoCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { MfaCodeInput } from '../../../shared/auth/auth.schemas.ts';
import { safeNext } from '../../app/require-auth.tsx';
import { useSession } from '../../app/session.tsx';
import { AuthFrame } from '../../components/auth-frame.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { useZodForm } from '../../lib/form.ts';
import { meKey, useConfirmTotp, useEnrollTotp, useLogout } from './auth.api.ts';

/**
 * Turning on two-step verification (TOTP): scan the QR code, confirm with a code, keep the recovery
 * codes. Forced when the security policy requires it for the user's role.
 */
export function MfaSetupPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('mfa.setupTitle')} · ${t('app.name')}`);
  const { me } = useSession();
  const [search] = useSearchParams();
  const next = safeNext(search.get('next'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const enroll = useEnrollTotp();
  const confirm = useConfirmTotp();
  const logout = useLogout();
  const form = useZodForm({ schema: MfaCodeInput, initialValues: { code: '' } });
  const forced = me.mfaEnrollmentRequired;
  const mfaEnabled = me.mfaEnabled;

  // One enrolment per visit (StrictMode mounts twice in development).
  const started = useRef(false);
  const { mutate: startEnrolment } = enroll;
  useEffect(() => {
    if (started.current || mfaEnabled) return;
    started.current = true;
    startEnrolment();
  }, [startEnrolment, mfaEnabled]);

  const submit = form.handleSubmit((body) => {
    confirm.mutate(body, { onError: (error) => form.applyServerError(error) });
  });

  const finish = async () => {
    await queryClient.invalidateQueries({ queryKey: meKey });
    void navigate(next, { replace: true });
  };

  const secret = enroll.data;
  const codes = confirm.data?.recoveryCodes;
  if (me.mfaEnabled && !codes && !confirm.isPending) return <Navigate to={next} replace />;

  return (
    <AuthFrame width={480}>
      <Stack gap="md">
        <Title order={1} fz={20}>
          {t('mfa.setupTitle')}
        </Title>
        {forced && !codes && (
          <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} aria-hidden />}>
            {t('mfa.required')}
          </Alert>
        )}

        {codes ? (
          <Stack gap="sm">
            <Alert color="teal" variant="light" icon={<IconCheck size={18} aria-hidden />} title={t('mfa.enabled')}>
              {t('mfa.recoveryText')}
            </Alert>
            <List aria-label={t('mfa.recoveryCodes')} listStyleType="none" ff="monospace" fz="sm" spacing={2}>
              {codes.map((c) => (
                <List.Item key={c}>{c}</List.Item>
              ))}
            </List>
            <Group gap="xs">
              <CopyButton value={codes.join('\n')}>
                {({ copied, copy }) => (
                  <Button variant="default" size="xs" onClick={copy} leftSection={<IconCopy size={14} aria-hidden />}>
                    {copied ? t('common.copied') : t('mfa.copyCodes')}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Button onClick={() => void finish()}>{t('mfa.savedCodes')}</Button>
          </Stack>
        ) : enroll.isError ? (
          <ErrorState error={enroll.error} onRetry={() => enroll.mutate()} retrying={enroll.isPending} />
        ) : !secret ? (
          <Group justify="center" py="xl">
            <Loader size="sm" aria-label={t('common.loading')} />
          </Group>
        ) : (
          <form onSubmit={submit} noValidate aria-label={t('mfa.setupTitle')}>
            <Stack gap="md">
              <Text fz="sm">{t('mfa.scan')}</Text>
              <Group justify="center">
                <Image
                  src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(secret.qrSvg)}`}
                  alt={t('mfa.qrAlt')}
                  w={200}
                  h={200}
                  bg="white"
                  p={8}
                  radius="sm"
                />
              </Group>
              <Text fz="sm">
                {t('mfa.manual')} <Code style={{ wordBreak: 'break-all' }}>{secret.secret}</Code>
              </Text>
              {confirm.error && (
                <ProblemAlert
                  error={confirm.error}
                  fieldErrors={form.unplacedErrors}
                  fieldsShown={form.hasServerFieldErrors}
                />
              )}
              <TextInput
                label={t('mfa.code')}
                description={t('mfa.codeFromApp')}
                autoComplete="one-time-code"
                inputMode="numeric"
                spellCheck={false}
                required
                value={form.values.code}
                onChange={(e) => form.setValue('code', e.currentTarget.value)}
                onBlur={() => form.touch('code')}
                error={form.errorOf('code')}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: 2 } }}
              />
              <SubmitButton loading={confirm.isPending} fullWidth>
                {t('mfa.turnOn')}
              </SubmitButton>
            </Stack>
          </form>
        )}
        <Group justify="center">
          {forced ? (
            <Anchor component="button" type="button" fz="sm" onClick={() => logout.mutate()}>
              {t('userMenu.signOut')}
            </Anchor>
          ) : (
            !codes && (
              <Anchor component={Link} to={next} fz="sm">
                {t('common.cancel')}
              </Anchor>
            )
          )}
        </Group>
      </Stack>
    </AuthFrame>
  );
}
