import {
  ActionIcon,
  Alert,
  Button,
  Modal,
  ScrollArea,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { browserSupportsWebAuthn } from '@simplewebauthn/browser';
import { IconAlertCircle, IconFingerprint, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { passkeyRegisterVerify } from '../../../shared/passkeys/passkeys.contract.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SectionCard } from '../../components/section-card.tsx';
import { TableSkeletonRows } from '../../components/skeletons.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { useZodForm } from '../../lib/form.ts';
import { formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { schemaOf } from '../../lib/validation.ts';
import { passkeyErrorText, useAddPasskey, useDeletePasskey, usePasskeys } from './passkeys.api.ts';

const NameForm = z.object({ name: schemaOf(passkeyRegisterVerify, 'body').shape.name.unwrap() });

/** A name that tells the user's passkeys apart, guessed from the device. */
function defaultName(): string {
  const ua = typeof navigator === 'undefined' ? '' : navigator.userAgent;
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Mac OS X/.test(ua)
        ? 'macOS'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return os ? `Passkey (${os})` : 'Passkey';
}

/** The user's passkeys: listed, added with the browser's own dialog, removed after asking once. */
export function PasskeysSection() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const list = usePasskeys();
  const remove = useDeletePasskey();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<{ id: string; name: string } | undefined>();
  const supported = browserSupportsWebAuthn();
  const items = list.data?.items ?? [];

  const confirmRemove = () => {
    if (!removing) return;
    remove.mutate(removing.id, {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('passkeys.removed', { name: removing.name }) });
        setRemoving(undefined);
      },
    });
  };

  return (
    <SectionCard
      id="account-passkeys"
      icon={<IconFingerprint size={18} aria-hidden />}
      title={t('passkeys.title')}
      description={t('passkeys.description')}
      actions={
        supported && (
          <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
            {t('passkeys.add')}
          </Button>
        )
      }
    >
      {!supported && (
        <Alert color="gray" variant="light" icon={<IconAlertCircle size={18} aria-hidden />}>
          {t('passkeys.unsupported')}
        </Alert>
      )}
      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />
      ) : !list.isPending && items.length === 0 ? (
        <Text fz="sm" c="dimmed">
          {t('passkeys.none')}
        </Text>
      ) : (
        <ScrollArea type="auto">
          <Table miw={520} aria-label={t('passkeys.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('passkeys.name')}</Table.Th>
                <Table.Th>{t('passkeys.added')}</Table.Th>
                <Table.Th>{t('passkeys.lastUsed')}</Table.Th>
                <Table.Th w={48}>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.isPending ? (
                <TableSkeletonRows columns={4} rows={2} />
              ) : (
                items.map((p) => (
                  <Table.Tr key={p.id} style={{ whiteSpace: 'nowrap' }}>
                    <Table.Td fw={500}>{p.name}</Table.Td>
                    <Table.Td c="dimmed">{formatDateTime(p.createdAt, language)}</Table.Td>
                    <Table.Td c="dimmed">
                      {p.lastUsedAt ? formatDateTime(p.lastUsedAt, language) : t('passkeys.never')}
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={t('passkeys.remove')} withArrow>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('passkeys.removeNamed', { name: p.name })}
                          onClick={() => {
                            remove.reset();
                            setRemoving({ id: p.id, name: p.name });
                          }}
                        >
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      {adding && <AddPasskeyModal onClose={() => setAdding(false)} />}
      <ConfirmDialog
        opened={Boolean(removing)}
        onClose={() => setRemoving(undefined)}
        onConfirm={confirmRemove}
        title={t('passkeys.removeTitle', { name: removing?.name ?? '' })}
        message={t('passkeys.removeText')}
        confirmLabel={t('passkeys.remove')}
        danger
        loading={remove.isPending}
        error={remove.error}
      />
    </SectionCard>
  );
}

function AddPasskeyModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const add = useAddPasskey();
  const form = useZodForm({ schema: NameForm, initialValues: { name: defaultName() } });
  const browserProblem = add.error ? passkeyErrorText(add.error, t) : undefined;

  const submit = form.handleSubmit(({ name }) => {
    add.mutate(name, {
      onSuccess: (passkey) => {
        notifications.show({ color: 'teal', message: t('passkeys.addedToast', { name: passkey.name }) });
        onClose();
      },
      onError: (error) => form.applyServerError(error),
    });
  });

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('passkeys.addTitle')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={submit} noValidate aria-label={t('passkeys.addTitle')}>
        <Stack gap="md">
          <Text fz="sm">{t('passkeys.addText')}</Text>
          {browserProblem ? (
            <Alert role="alert" color="orange" variant="light" icon={<IconAlertCircle size={18} aria-hidden />}>
              {browserProblem}
            </Alert>
          ) : (
            add.error && (
              <ProblemAlert
                error={add.error}
                fieldErrors={form.unplacedErrors}
                fieldsShown={form.hasServerFieldErrors}
              />
            )
          )}
          <TextInput
            label={t('passkeys.name')}
            description={t('passkeys.nameHelp')}
            required
            data-autofocus
            value={form.values.name}
            onChange={(e) => form.setValue('name', e.currentTarget.value)}
            onBlur={() => form.touch('name')}
            error={form.errorOf('name')}
          />
          <SubmitButton loading={add.isPending} leftSection={<IconFingerprint size={16} aria-hidden />} fullWidth>
            {t('passkeys.create')}
          </SubmitButton>
        </Stack>
      </form>
    </Modal>
  );
}
