import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  NumberInput,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCircleCheck, IconMail, IconSend } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  SMTP_SECURITY,
  type SmtpSettings,
  SmtpSettingsInput,
} from '../../../shared/notifications/notifications.schemas.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SectionCard } from '../../components/section-card.tsx';
import { FormSkeleton } from '../../components/skeletons.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useZodForm } from '../../lib/form.ts';
import { useSaveSmtpSettings, useSendTestEmail, useSmtpSettings } from './integrations.api.ts';

type Security = (typeof SMTP_SECURITY)[number];
const DEFAULT_PORT: Record<Security, number> = { tls: 465, starttls: 587, none: 25 };

interface SmtpValues {
  host: string;
  port: number | string;
  security: Security;
  username: string;
  /** A new password; empty keeps the stored one. */
  password: string;
  /** Remove the stored password (and send none). */
  clearPassword: boolean;
  fromAddress: string;
}

function valuesOf(s: SmtpSettings): SmtpValues {
  const security = s.security ?? 'starttls';
  return {
    host: s.host ?? '',
    port: s.port ?? DEFAULT_PORT[security],
    security,
    username: s.username ?? '',
    password: '',
    clearPassword: false,
    fromAddress: s.fromAddress ?? '',
  };
}

function toBody(v: SmtpValues, version: number) {
  return {
    host: v.host,
    port: v.port === '' ? Number.NaN : Number(v.port),
    security: v.security,
    username: v.username.trim() === '' ? null : v.username,
    // Omitted keeps the stored password; null removes it.
    ...(v.password !== '' ? { password: v.password } : v.clearPassword ? { password: null } : {}),
    fromAddress: v.fromAddress.trim(),
    version,
  };
}

/** Outgoing e-mail: the SMTP server, its security, the account (password write-only), the sender. */
export function SmtpSection() {
  const { t } = useTranslation();
  const settings = useSmtpSettings();
  return (
    <SectionCard
      id="integrations-smtp"
      icon={<IconMail size={18} aria-hidden />}
      title={t('integrations.smtp.title')}
      description={t('integrations.smtp.description')}
      badges={
        settings.data && (
          <Badge
            variant="light"
            color={settings.data.configured ? 'teal' : 'gray'}
            radius="sm"
            tt="none"
            style={{ flexShrink: 0, overflow: 'visible' }}
          >
            {settings.data.configured ? t('integrations.smtp.configured') : t('integrations.smtp.notConfigured')}
          </Badge>
        )
      }
    >
      {settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} retrying={settings.isFetching} />
      ) : settings.isPending ? (
        <FormSkeleton fields={4} />
      ) : (
        <SmtpForm settings={settings.data} onReload={() => void settings.refetch()} />
      )}
    </SectionCard>
  );
}

function SmtpForm({ settings, onReload }: { settings: SmtpSettings; onReload: () => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const save = useSaveSmtpSettings();
  const test = useSendTestEmail();
  const [version, setVersion] = useState(settings.version);
  const form = useZodForm({
    schema: SmtpSettingsInput,
    initialValues: valuesOf(settings),
    toInput: (v: SmtpValues) => toBody(v, version),
  });
  const { reset } = form;
  // Settings read again (after saving or reloading): the form starts from them.
  useEffect(() => {
    reset(valuesOf(settings));
    setVersion(settings.version);
  }, [settings, reset]);
  const conflict = isApiError(save.error) && save.error.isConflict;

  const submit = form.handleSubmit(() => {
    save.mutate(toBody(form.values, version), {
      onSuccess: () => {
        test.reset();
        notifications.show({ color: 'teal', message: t('integrations.smtp.saved') });
      },
      onError: (error) => form.applyServerError(error),
    });
  });

  const chooseSecurity = (value: string | null) => {
    const next = SMTP_SECURITY.find((s) => s === value);
    if (!next) return;
    const current = form.values.security;
    // The port follows the security while it is the usual one for the previous choice.
    if (Number(form.values.port) === DEFAULT_PORT[current]) form.setValue('port', DEFAULT_PORT[next]);
    form.setValue('security', next);
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="integrations-smtp">
      <Stack gap="md">
        {conflict ? (
          <Alert color="orange" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
            <Stack gap="xs" align="flex-start">
              {t('integrations.conflict')}
              <Button
                size="xs"
                onClick={() => {
                  save.reset();
                  onReload();
                }}
              >
                {t('integrations.reload')}
              </Button>
            </Stack>
          </Alert>
        ) : (
          save.error && (
            <ProblemAlert
              error={save.error}
              fieldErrors={form.unplacedErrors}
              fieldsShown={form.hasServerFieldErrors}
            />
          )
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <TextInput
            label={t('integrations.smtp.host')}
            placeholder="smtp.example.org"
            required
            maxLength={253}
            autoComplete="off"
            spellCheck={false}
            value={form.values.host}
            onChange={(e) => form.setValue('host', e.currentTarget.value)}
            onBlur={() => form.touch('host')}
            error={form.errorOf('host')}
          />
          <Select
            label={t('integrations.smtp.security')}
            required
            allowDeselect={false}
            data={SMTP_SECURITY.map((s) => ({ value: s, label: t(`integrations.smtp.securityOptions.${s}`) }))}
            value={form.values.security}
            onChange={chooseSecurity}
            comboboxProps={{ withinPortal: true }}
          />
          <NumberInput
            label={t('integrations.smtp.port')}
            required
            min={1}
            max={65535}
            allowDecimal={false}
            hideControls
            value={form.values.port}
            onChange={(v) => form.setValue('port', v)}
            onBlur={() => form.touch('port')}
            error={form.errorOf('port')}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput
            label={t('integrations.smtp.username')}
            description={t('integrations.smtp.usernameHelp')}
            maxLength={254}
            autoComplete="off"
            spellCheck={false}
            value={form.values.username}
            onChange={(e) => form.setValue('username', e.currentTarget.value)}
            onBlur={() => form.touch('username')}
            error={form.errorOf('username')}
          />
          <Stack gap={6}>
            <PasswordInput
              label={t('integrations.smtp.password')}
              description={
                settings.passwordSet ? t('integrations.smtp.passwordSet') : t('integrations.smtp.passwordNone')
              }
              placeholder={settings.passwordSet ? t('integrations.smtp.passwordKeep') : undefined}
              maxLength={500}
              autoComplete="new-password"
              value={form.values.password}
              disabled={form.values.clearPassword}
              onChange={(e) => form.setValue('password', e.currentTarget.value)}
              error={form.errorOf('password')}
            />
            {settings.passwordSet && (
              <Checkbox
                size="xs"
                label={t('integrations.smtp.clearPassword')}
                checked={form.values.clearPassword}
                onChange={(e) => {
                  const checked = e.currentTarget.checked;
                  form.setValue('clearPassword', checked);
                  if (checked) form.setValue('password', '');
                }}
              />
            )}
          </Stack>
        </SimpleGrid>
        <TextInput
          label={t('integrations.smtp.fromAddress')}
          description={t('integrations.smtp.fromAddressHelp')}
          placeholder="outpost@example.org"
          required
          type="email"
          maxLength={254}
          value={form.values.fromAddress}
          onChange={(e) => form.setValue('fromAddress', e.currentTarget.value)}
          onBlur={() => form.touch('fromAddress')}
          error={form.errorOf('fromAddress')}
          maw={{ sm: 'calc(50% - var(--mantine-spacing-md) / 2)' }}
        />
        <Group gap="xs">
          <SubmitButton loading={save.isPending} disabled={!form.isDirty || conflict}>
            {t('common.save')}
          </SubmitButton>
          {form.isDirty && (
            <Button variant="default" onClick={() => form.reset(valuesOf(settings))}>
              {t('common.discard')}
            </Button>
          )}
          <Button
            variant="default"
            leftSection={<IconSend size={16} aria-hidden />}
            disabled={!settings.configured || form.isDirty}
            loading={test.isPending}
            onClick={() => test.mutate()}
          >
            {t('integrations.smtp.sendTest')}
          </Button>
          {!settings.configured ? (
            <Text fz="xs" c="dimmed">
              {t('integrations.smtp.testNeedsSettings')}
            </Text>
          ) : (
            form.isDirty && (
              <Text fz="xs" c="dimmed">
                {t('integrations.smtp.testSaveFirst')}
              </Text>
            )
          )}
        </Group>
        {test.data &&
          (test.data.delivered ? (
            <Alert color="teal" variant="light" role="status" icon={<IconCircleCheck size={18} aria-hidden />}>
              {t('integrations.smtp.testDelivered', { email: me.email })}
            </Alert>
          ) : (
            <Alert
              color="red"
              variant="light"
              role="alert"
              icon={<IconAlertTriangle size={18} aria-hidden />}
              title={t('integrations.smtp.testFailed')}
            >
              <Text fz="sm" style={{ overflowWrap: 'anywhere' }}>
                {test.data.error ?? t('integrations.unknownError')}
              </Text>
              <Text fz="xs" c="dimmed" mt={4}>
                {t('integrations.smtp.testQueued')}
              </Text>
            </Alert>
          ))}
        {test.error && <ProblemAlert error={test.error} />}
      </Stack>
    </form>
  );
}
