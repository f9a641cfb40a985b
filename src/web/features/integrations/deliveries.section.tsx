import { Badge, Group, Modal, ScrollArea, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { IconListDetails, IconSend } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DELIVERY_CHANNELS,
  DELIVERY_STATUSES,
  type Delivery,
} from '../../../shared/notifications/notifications.schemas.ts';
import { ErrorState } from '../../components/error-state.tsx';
import { RecordTable } from '../../components/record-table.tsx';
import { SectionCard } from '../../components/section-card.tsx';
import { TableSkeletonRows } from '../../components/skeletons.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { type DeliveryFilter, useDeliveries, useDelivery, useWebhooks } from './integrations.api.ts';

type Status = (typeof DELIVERY_STATUSES)[number];
type Channel = (typeof DELIVERY_CHANNELS)[number];
const STATUS_COLOR: Record<Status, string> = { pending: 'yellow', delivered: 'teal', failed: 'red', cancelled: 'gray' };

export function DeliveryStatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant="light"
      color={STATUS_COLOR[status]}
      radius="sm"
      tt="none"
      style={{ flexShrink: 0, overflow: 'visible' }}
    >
      {t(`integrations.deliveries.statuses.${status}`)}
    </Badge>
  );
}

/** The delivery log of e-mails and webhooks: status, last code and error, attempts, next retry. */
export function DeliveriesSection() {
  const { t, i18n } = useTranslation();
  const language = currentLanguage();
  const [channel, setChannel] = useState<Channel | undefined>();
  const [status, setStatus] = useState<Status | undefined>();
  const filter: DeliveryFilter = useMemo(() => ({ channel, status }), [channel, status]);
  const list = useDeliveries(filter);
  const hooks = useWebhooks();
  const [shown, setShown] = useState<Delivery | undefined>();
  const hookName = (id: string | null) => hooks.data?.items.find((h) => h.id === id)?.name;
  const kindLabel = (k: string) =>
    i18n.exists(`inbox.kinds.${k}`) ? t(`inbox.kinds.${k}` as 'inbox.kinds.system.test') : k;
  const when = (iso: string | null) => (iso ? formatDateTime(iso, language) : '—');

  return (
    <SectionCard
      id="integrations-deliveries"
      icon={<IconListDetails size={18} aria-hidden />}
      title={t('integrations.deliveries.title')}
      description={t('integrations.deliveries.description')}
    >
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Select
          label={t('integrations.deliveries.channel')}
          placeholder={t('integrations.deliveries.any')}
          clearable
          data={DELIVERY_CHANNELS.map((c) => ({ value: c, label: t(`integrations.deliveries.channels.${c}`) }))}
          value={channel ?? null}
          onChange={(v) => setChannel(DELIVERY_CHANNELS.find((c) => c === v))}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label={t('integrations.deliveries.status')}
          placeholder={t('integrations.deliveries.any')}
          clearable
          data={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`integrations.deliveries.statuses.${s}`) }))}
          value={status ?? null}
          onChange={(v) => setStatus(DELIVERY_STATUSES.find((s) => s === v))}
          comboboxProps={{ withinPortal: true }}
        />
      </SimpleGrid>
      <RecordTable<Delivery, string>
        label={t('integrations.deliveries.title')}
        query={list}
        minWidth={900}
        onRowClick={setShown}
        columns={[
          {
            key: 'createdAt',
            header: t('integrations.deliveries.queued'),
            cell: (d) => (
              <Text fz="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {when(d.createdAt)}
              </Text>
            ),
          },
          {
            key: 'target',
            header: t('integrations.deliveries.target'),
            cell: (d) => (
              <>
                <Text fz="sm">{t(`integrations.deliveries.channels.${d.channel}`)}</Text>
                <Text fz="xs" c="dimmed">
                  {d.channel === 'webhook'
                    ? (hookName(d.webhookId) ?? t('integrations.deliveries.deletedWebhook'))
                    : t('integrations.deliveries.toUser')}
                </Text>
              </>
            ),
          },
          { key: 'kind', header: t('integrations.deliveries.kind'), cell: (d) => kindLabel(d.kind) },
          {
            key: 'status',
            header: t('integrations.deliveries.status'),
            cell: (d) => <DeliveryStatusBadge status={d.status} />,
            width: 110,
          },
          {
            key: 'attempts',
            header: t('integrations.deliveries.attempts'),
            cell: (d) => d.attempts,
            cellProps: { ta: 'right' },
            width: 80,
          },
          {
            key: 'code',
            header: t('integrations.deliveries.code'),
            cell: (d) => d.lastStatusCode ?? '—',
            cellProps: { ff: 'monospace', fz: 'xs' },
            width: 70,
          },
          {
            key: 'error',
            header: t('integrations.deliveries.lastError'),
            cell: (d) => (
              <Text
                fz="xs"
                c={d.lastError ? 'red' : 'dimmed'}
                lineClamp={2}
                maw={260}
                style={{ overflowWrap: 'anywhere' }}
              >
                {d.lastError ?? '—'}
              </Text>
            ),
          },
          {
            key: 'next',
            header: t('integrations.deliveries.nextRetry'),
            cell: (d) => (
              <Text fz="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {d.status === 'pending' ? when(d.nextAttemptAt) : d.deliveredAt ? when(d.deliveredAt) : '—'}
              </Text>
            ),
          },
        ]}
        empty={{
          icon: <IconSend size={28} stroke={1.5} aria-hidden />,
          title: t('integrations.deliveries.emptyTitle'),
          description: t('integrations.deliveries.emptyText'),
        }}
      />
      <DeliveryModal delivery={shown} onClose={() => setShown(undefined)} />
    </SectionCard>
  );
}

/** One delivery with every attempt. */
function DeliveryModal({ delivery, onClose }: { delivery: Delivery | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const detail = useDelivery(delivery?.id);
  const log = detail.data?.log ?? [];
  return (
    <Modal
      opened={Boolean(delivery)}
      onClose={onClose}
      title={t('integrations.deliveries.detailTitle')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {delivery && (
        <Stack gap="sm">
          <Group gap="xs">
            <DeliveryStatusBadge status={detail.data?.status ?? delivery.status} />
            <Text fz="sm">{t(`integrations.deliveries.channels.${delivery.channel}`)}</Text>
            <Text fz="xs" c="dimmed" ff="monospace">
              {delivery.kind}
            </Text>
          </Group>
          {detail.isError ? (
            <ErrorState error={detail.error} onRetry={() => void detail.refetch()} retrying={detail.isFetching} />
          ) : (
            <ScrollArea type="auto">
              <Table miw={520} fz="sm" aria-label={t('integrations.deliveries.attemptsTitle')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>#</Table.Th>
                    <Table.Th>{t('integrations.deliveries.at')}</Table.Th>
                    <Table.Th>{t('integrations.deliveries.code')}</Table.Th>
                    <Table.Th>{t('integrations.deliveries.duration')}</Table.Th>
                    <Table.Th>{t('integrations.deliveries.lastError')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {detail.isPending ? (
                    <TableSkeletonRows columns={5} rows={2} />
                  ) : log.length === 0 ? (
                    <Table.Tr>
                      <Table.Td colSpan={5}>
                        <Text fz="sm" c="dimmed">
                          {t('integrations.deliveries.noAttempts')}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ) : (
                    log.map((a) => (
                      <Table.Tr key={a.attempt}>
                        <Table.Td>{a.attempt}</Table.Td>
                        <Table.Td fz="xs">{formatDateTime(a.at, language)}</Table.Td>
                        <Table.Td ff="monospace" fz="xs">
                          {a.statusCode ?? '—'}
                        </Table.Td>
                        <Table.Td fz="xs">{t('integrations.deliveries.ms', { ms: a.durationMs })}</Table.Td>
                        <Table.Td>
                          <Text fz="xs" c={a.ok ? 'teal' : 'red'} style={{ overflowWrap: 'anywhere' }}>
                            {a.ok ? t('integrations.deliveries.ok') : (a.error ?? '—')}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    ))
                  )}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          )}
        </Stack>
      )}
    </Modal>
  );
}
