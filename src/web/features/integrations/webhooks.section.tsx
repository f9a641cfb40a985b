import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Menu,
  ScrollArea,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDots, IconPencil, IconPlus, IconSend, IconTrash, IconWebhook } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Webhook } from '../../../shared/notifications/notifications.schemas.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { SectionCard } from '../../components/section-card.tsx';
import { TableSkeletonRows } from '../../components/skeletons.tsx';
import { describeError } from '../../lib/problem-text.ts';
import { useDeleteWebhook, useTestWebhook, useWebhooks } from './integrations.api.ts';
import { WebhookFormModal } from './webhook-form.modal.tsx';

/** Outgoing webhooks: where events are POSTed (signed), which kinds, on or off; test-send; edit; delete. */
export function WebhooksSection() {
  const { t, i18n } = useTranslation();
  const list = useWebhooks();
  const kindLabel = (k: string) =>
    i18n.exists(`inbox.kinds.${k}`) ? t(`inbox.kinds.${k}` as 'inbox.kinds.system.test') : k;
  const remove = useDeleteWebhook();
  const test = useTestWebhook();
  const [formOpen, setFormOpen] = useState(false);
  const [editing, setEditing] = useState<Webhook | undefined>();
  const [deleting, setDeleting] = useState<Webhook | undefined>();
  const items = list.data?.items ?? [];

  const openNew = () => {
    setEditing(undefined);
    setFormOpen(true);
  };
  const openEdit = (hook: Webhook) => {
    setEditing(hook);
    setFormOpen(true);
  };
  const sendTest = (hook: Webhook) =>
    test.mutate(hook.id, {
      onSuccess: (r) =>
        notifications.show(
          r.delivered
            ? {
                color: 'teal',
                message: t('integrations.webhooks.testDelivered', { name: hook.name, code: r.statusCode ?? '—' }),
              }
            : {
                color: 'red',
                title: t('integrations.webhooks.testFailed', { name: hook.name }),
                message: [r.statusCode ? `HTTP ${r.statusCode}` : null, r.error].filter(Boolean).join(' · ') || '—',
                autoClose: 10_000,
              },
        ),
      onError: (error) => notifications.show({ color: 'red', message: describeError(error, t).title }),
    });
  const closeDelete = () => {
    setDeleting(undefined);
    remove.reset();
  };
  const confirmDelete = () => {
    if (!deleting) return;
    remove.mutate(deleting, {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('integrations.webhooks.deleted', { name: deleting.name }) });
        closeDelete();
      },
    });
  };

  return (
    <SectionCard
      id="integrations-webhooks"
      icon={<IconWebhook size={18} aria-hidden />}
      title={t('integrations.webhooks.title')}
      description={t('integrations.webhooks.description')}
      actions={
        <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={openNew}>
          {t('integrations.webhooks.new')}
        </Button>
      }
    >
      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />
      ) : !list.isPending && items.length === 0 ? (
        <EmptyState
          icon={<IconWebhook size={28} stroke={1.5} aria-hidden />}
          title={t('integrations.webhooks.emptyTitle')}
          description={t('integrations.webhooks.emptyText')}
        />
      ) : (
        <ScrollArea type="auto">
          <Table miw={680} aria-label={t('integrations.webhooks.title')} verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('integrations.webhooks.name')}</Table.Th>
                <Table.Th>{t('integrations.webhooks.kinds')}</Table.Th>
                <Table.Th>{t('integrations.webhooks.state')}</Table.Th>
                <Table.Th w={120}>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.isPending ? (
                <TableSkeletonRows columns={4} rows={2} />
              ) : (
                items.map((hook) => (
                  <Table.Tr key={hook.id}>
                    <Table.Td>
                      <Text fz="sm" fw={500}>
                        {hook.name}
                      </Text>
                      <Text fz="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                        {hook.url}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip
                        label={hook.kinds.map(kindLabel).join(', ')}
                        multiline
                        maw={320}
                        withArrow
                        events={{ hover: true, focus: true, touch: true }}
                      >
                        <Text fz="sm" tabIndex={0} style={{ cursor: 'help' }}>
                          {t('integrations.webhooks.kindCount', { count: hook.kinds.length })}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={hook.active ? 'teal' : 'gray'} radius="sm" tt="none">
                        {hook.active ? t('integrations.webhooks.on') : t('integrations.webhooks.off')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        <Button
                          size="compact-xs"
                          variant="default"
                          leftSection={<IconSend size={12} aria-hidden />}
                          loading={test.isPending && test.variables === hook.id}
                          onClick={() => sendTest(hook)}
                          aria-label={t('integrations.webhooks.testOf', { name: hook.name })}
                        >
                          {t('integrations.webhooks.test')}
                        </Button>
                        <Menu position="bottom-end" shadow="md">
                          <Menu.Target>
                            <ActionIcon
                              variant="subtle"
                              color="gray"
                              aria-label={t('integrations.webhooks.actionsFor', { name: hook.name })}
                            >
                              <IconDots size={16} aria-hidden />
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item
                              leftSection={<IconPencil size={14} aria-hidden />}
                              onClick={() => openEdit(hook)}
                            >
                              {t('common.edit')}
                            </Menu.Item>
                            <Menu.Item
                              color="red"
                              leftSection={<IconTrash size={14} aria-hidden />}
                              onClick={() => setDeleting(hook)}
                            >
                              {t('common.delete')}
                            </Menu.Item>
                          </Menu.Dropdown>
                        </Menu>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      <WebhookFormModal hook={editing} opened={formOpen} onClose={() => setFormOpen(false)} />
      <ConfirmDialog
        opened={Boolean(deleting)}
        onClose={closeDelete}
        onConfirm={confirmDelete}
        title={t('integrations.webhooks.deleteTitle')}
        message={t('integrations.webhooks.deleteText', { name: deleting?.name ?? '' })}
        confirmLabel={t('integrations.webhooks.deleteConfirm')}
        danger
        loading={remove.isPending}
        error={remove.error}
      />
    </SectionCard>
  );
}
