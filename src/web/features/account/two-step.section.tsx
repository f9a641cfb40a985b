import { Badge, Button, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconShieldCheck, IconShieldLock, IconShieldOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { MfaDisableInput } from '../../../shared/auth/auth.schemas.ts';
import { useSession } from '../../app/session.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SectionCard } from '../../components/section-card.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { useZodForm } from '../../lib/form.ts';
import { useDisableTotp } from '../auth/auth.api.ts';

/** Two-step verification with an authenticator app: on or off, and the way to change that. */
export function TwoStepSection() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <SectionCard
      id="account-two-step"
      icon={<IconShieldLock size={18} aria-hidden />}
      title={t('account.twoStep.title')}
      description={me.mfaEnabled ? t('account.twoStep.onText') : t('account.twoStep.offText')}
      badges={
        me.mfaEnabled ? (
          <Badge
            color="teal"
            variant="light"
            tt="none"
            radius="sm"
            leftSection={<IconShieldCheck size={12} aria-hidden />}
          >
            {t('account.twoStep.on')}
          </Badge>
        ) : (
          <Badge
            color="gray"
            variant="outline"
            tt="none"
            radius="sm"
            leftSection={<IconShieldOff size={12} aria-hidden />}
          >
            {t('account.twoStep.off')}
          </Badge>
        )
      }
      actions={
        me.mfaEnabled ? (
          <Button variant="default" color="red" onClick={open}>
            {t('account.twoStep.turnOff')}
          </Button>
        ) : (
          <Button component={Link} to="/mfa/setup?next=%2Faccount">
            {t('account.twoStep.turnOn')}
          </Button>
        )
      }
    >
      {opened && <DisableModal onClose={close} />}
    </SectionCard>
  );
}

function DisableModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const disable = useDisableTotp();
  const form = useZodForm({ schema: MfaDisableInput, initialValues: { password: '', code: '' } });
  const submit = form.handleSubmit((body) => {
    disable.mutate(body, {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('account.twoStep.turnedOff') });
        onClose();
      },
      onError: (error) => form.applyServerError(error),
    });
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('account.twoStep.turnOffTitle')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={submit} noValidate aria-label={t('account.twoStep.turnOffTitle')}>
        <Stack gap="md">
          <Text fz="sm">{t('account.twoStep.turnOffText')}</Text>
          {disable.error && (
            <ProblemAlert
              error={disable.error}
              fieldErrors={form.unplacedErrors}
              fieldsShown={form.hasServerFieldErrors}
            />
          )}
          <PasswordInput
            label={t('auth.password')}
            autoComplete="current-password"
            required
            data-autofocus
            value={form.values.password}
            onChange={(e) => form.setValue('password', e.currentTarget.value)}
            onBlur={() => form.touch('password')}
            error={form.errorOf('password')}
            visibilityToggleButtonProps={{ 'aria-label': t('auth.togglePassword') }}
          />
          <TextInput
            label={t('mfa.code')}
            description={t('mfa.codeHelp')}
            autoComplete="one-time-code"
            spellCheck={false}
            required
            value={form.values.code}
            onChange={(e) => form.setValue('code', e.currentTarget.value)}
            onBlur={() => form.touch('code')}
            error={form.errorOf('code')}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: 2 } }}
          />
          <SubmitButton color="red" loading={disable.isPending} fullWidth>
            {t('account.twoStep.turnOff')}
          </SubmitButton>
        </Stack>
      </form>
    </Modal>
  );
}
