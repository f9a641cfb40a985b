import {
  Alert,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck, IconCopy, IconKey } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  NOTIFICATION_KIND_LIST,
  type NotificationKindName,
  type Webhook,
  WebhookCreateInput,
  WebhookUpdateInput,
} from '../../../shared/notifications/notifications.schemas.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useZodForm } from '../../lib/form.ts';
import { useCreateWebhook, useUpdateWebhook } from './integrations.api.ts';

interface WebhookValues {
  name: string;
  url: string;
  kinds: NotificationKindName[];
  active: boolean;
}

const isKind = (k: string): k is NotificationKindName => (NOTIFICATION_KIND_LIST as readonly string[]).includes(k);

function valuesOf(hook: Webhook | undefined): WebhookValues {
  return {
    name: hook?.name ?? '',
    url: hook?.url ?? 'https://',
    kinds: hook ? hook.kinds.filter(isKind) : NOTIFICATION_KIND_LIST.filter((k) => k !== 'system.test'),
    active: hook?.active ?? true,
  };
}

interface WebhookFormModalProps {
  /** The webhook to change; none to add one. */
  hook: Webhook | undefined;
  opened: boolean;
  onClose: () => void;
}

export function WebhookFormModal(props: WebhookFormModalProps) {
  if (!props.opened) return null;
  return <WebhookForm key={props.hook?.id ?? 'new'} {...props} />;
}

function WebhookForm({ hook, opened, onClose }: WebhookFormModalProps) {
  const { t } = useTranslation();
  const create = useCreateWebhook();
  const update = useUpdateWebhook();
  const mutation = hook ? update : create;
  const [secret, setSecret] = useState<string | undefined>();
  const form = useZodForm({
    schema: hook ? WebhookUpdateInput : WebhookCreateInput,
    initialValues: valuesOf(hook),
    toInput: (v: WebhookValues) => (hook ? { ...v, version: hook.version } : v),
  });
  const conflict = isApiError(mutation.error) && mutation.error.isConflict;

  const submit = form.handleSubmit(() => {
    const body = { ...form.values, url: form.values.url.trim() };
    const onError = (error: unknown) => form.applyServerError(error);
    if (hook) {
      update.mutate(
        { id: hook.id, body: { ...body, version: hook.version } },
        {
          onSuccess: (saved) => {
            notifications.show({ color: 'teal', message: t('integrations.webhooks.saved', { name: saved.name }) });
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(body, { onSuccess: (saved) => setSecret(saved.secret), onError });
    }
  });

  const title = secret
    ? t('integrations.webhooks.secretTitle')
    : hook
      ? t('integrations.webhooks.editTitle', { name: hook.name })
      : t('integrations.webhooks.new');

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      size="lg"
      closeOnClickOutside={!secret}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {secret ? (
        <Stack gap="md">
          <Alert color="yellow" variant="light" icon={<IconKey size={18} aria-hidden />}>
            {t('integrations.webhooks.secretText')}
          </Alert>
          <Group gap="xs" wrap="nowrap" align="center">
            <Code
              block
              style={{ flex: 1, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}
              aria-label={t('integrations.webhooks.secret')}
            >
              {secret}
            </Code>
            <CopyButton value={secret}>
              {({ copied, copy }) => (
                <Button
                  variant={copied ? 'light' : 'default'}
                  color={copied ? 'teal' : undefined}
                  leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                  onClick={copy}
                >
                  {copied ? t('common.copied') : t('integrations.webhooks.copySecret')}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Text fz="xs" c="dimmed">
            {t('integrations.webhooks.signatureHelp')}
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('integrations.webhooks.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate aria-label={title}>
          <Stack gap="md">
            {conflict ? (
              <Alert color="orange" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
                {t('integrations.webhooks.conflict')}
              </Alert>
            ) : (
              mutation.error && (
                <ProblemAlert
                  error={mutation.error}
                  fieldErrors={form.unplacedErrors}
                  fieldsShown={form.hasServerFieldErrors}
                />
              )
            )}
            <TextInput
              label={t('integrations.webhooks.name')}
              required
              maxLength={200}
              data-autofocus
              value={form.values.name}
              onChange={(e) => form.setValue('name', e.currentTarget.value)}
              onBlur={() => form.touch('name')}
              error={form.errorOf('name')}
            />
            <TextInput
              label={t('integrations.webhooks.url')}
              description={t('integrations.webhooks.urlHelp')}
              required
              type="url"
              maxLength={2000}
              spellCheck={false}
              value={form.values.url}
              onChange={(e) => form.setValue('url', e.currentTarget.value)}
              onBlur={() => form.touch('url')}
              error={form.errorOf('url')}
            />
            <Checkbox.Group
              label={t('integrations.webhooks.kinds')}
              description={t('integrations.webhooks.kindsHelp')}
              required
              value={form.values.kinds}
              onChange={(v) => {
                form.setValue(
                  'kinds',
                  NOTIFICATION_KIND_LIST.filter((k) => v.includes(k)),
                );
                form.touch('kinds');
              }}
              error={form.errorOf('kinds')}
            >
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing={8} mt={8}>
                {NOTIFICATION_KIND_LIST.map((k) => (
                  <Checkbox key={k} value={k} label={t(`inbox.kinds.${k}`)} />
                ))}
              </SimpleGrid>
            </Checkbox.Group>
            <Switch
              label={t('integrations.webhooks.active')}
              description={t('integrations.webhooks.activeHelp')}
              checked={form.values.active}
              onChange={(e) => form.setValue('active', e.currentTarget.checked)}
            />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={onClose} disabled={mutation.isPending}>
                {t('common.cancel')}
              </Button>
              <SubmitButton loading={mutation.isPending} disabled={conflict}>
                {hook ? t('common.save') : t('integrations.webhooks.add')}
              </SubmitButton>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
