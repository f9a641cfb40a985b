import {
  ActionIcon,
  Button,
  Divider,
  Group,
  Indicator,
  Popover,
  ScrollArea,
  Skeleton,
  Stack,
  Text,
} from '@mantine/core';
import { IconBell, IconChecks } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Notification } from '../../../shared/notifications/notifications.schemas.ts';
import { useSession } from '../../app/session.tsx';
import { NotificationItem } from './notification-item.tsx';
import { useLatestNotifications, useMarkAllRead, useMarkRead, useUnreadCount } from './notifications.api.ts';

const HEADING_ID = 'notification-bell-heading';

/** The header's bell: how many notifications are unread, the latest ones, a way to the inbox. */
export function NotificationBell() {
  const { t } = useTranslation();
  const { can } = useSession();
  const allowed = can('notification.self');
  const [opened, setOpened] = useState(false);
  const unread = useUnreadCount(allowed);
  const latest = useLatestNotifications(allowed && opened);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  if (!allowed) return null;

  const count = unread.data?.count ?? 0;
  const label = count > 0 ? t('inbox.bellUnread', { count }) : t('inbox.bell');
  const open = (item: Notification) => {
    setOpened(false);
    if (item.readAt === null) markRead.mutate(item.id);
  };
  const items = latest.data?.items ?? [];

  return (
    <Indicator
      disabled={count === 0}
      label={count > 99 ? '99+' : count}
      size={16}
      offset={6}
      color="red"
      inline
      styles={{ indicator: { fontSize: 10, fontWeight: 700, pointerEvents: 'none' } }}
    >
      <Popover
        opened={opened}
        onChange={setOpened}
        position="bottom-end"
        shadow="md"
        width="min(380px, calc(100vw - 16px))"
        trapFocus
        returnFocus
        onOpen={() => void unread.refetch()}
      >
        <Popover.Target>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            aria-label={label}
            aria-expanded={opened}
            aria-haspopup="dialog"
            onClick={() => setOpened((o) => !o)}
          >
            <IconBell size={18} aria-hidden />
          </ActionIcon>
        </Popover.Target>
        <Popover.Dropdown p={0} role="dialog" aria-labelledby={HEADING_ID}>
          <Group justify="space-between" px="sm" py={8} wrap="nowrap">
            <Text id={HEADING_ID} fw={600} fz="sm">
              {t('inbox.title')}
            </Text>
            <Button
              variant="subtle"
              size="compact-xs"
              leftSection={<IconChecks size={14} aria-hidden />}
              disabled={count === 0}
              loading={markAll.isPending}
              onClick={() => markAll.mutate()}
            >
              {t('inbox.markAllRead')}
            </Button>
          </Group>
          <Divider />
          <ScrollArea.Autosize mah="min(420px, 60vh)" type="auto">
            <Stack gap={0} p={4} aria-busy={latest.isFetching}>
              {latest.isPending ? (
                [0, 1, 2].map((i) => (
                  <Stack key={i} gap={6} p="xs" aria-hidden>
                    <Skeleton height={10} width="70%" radius="sm" />
                    <Skeleton height={8} width="90%" radius="sm" />
                  </Stack>
                ))
              ) : latest.isError ? (
                <Stack gap={6} p="sm" align="flex-start" role="alert">
                  <Text fz="sm" c="red">
                    {t('inbox.loadFailed')}
                  </Text>
                  <Button variant="default" size="compact-xs" onClick={() => void latest.refetch()}>
                    {t('common.retry')}
                  </Button>
                </Stack>
              ) : items.length === 0 ? (
                <Text fz="sm" c="dimmed" p="sm" ta="center">
                  {t('inbox.emptyTitle')}
                </Text>
              ) : (
                <ul aria-label={t('inbox.latest')} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                  {items.map((item) => (
                    <li key={item.id}>
                      <NotificationItem item={item} onOpen={open} compact />
                    </li>
                  ))}
                </ul>
              )}
            </Stack>
          </ScrollArea.Autosize>
          <Divider />
          <Group p={6} justify="center">
            <Button component={Link} to="/inbox" variant="subtle" size="xs" fullWidth onClick={() => setOpened(false)}>
              {t('inbox.openInbox')}
            </Button>
          </Group>
        </Popover.Dropdown>
      </Popover>
    </Indicator>
  );
}
