import { ActionIcon, Button, Divider, Group, Paper, SegmentedControl, Skeleton, Stack, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBellOff, IconCheck, IconChecks } from '@tabler/icons-react';
import { Fragment, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Notification } from '../../../shared/notifications/notifications.schemas.ts';
import { useSession } from '../../app/session.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { LoadMore } from '../../components/load-more.tsx';
import { NoAccess } from '../../components/no-access.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { NotificationItem } from './notification-item.tsx';
import { useInbox, useMarkAllRead, useMarkRead, useUnreadCount } from './notifications.api.ts';

type Filter = 'all' | 'unread';

/** Everything the user was told about, newest first: filter on unread, open (marks read), load more. */
export function InboxPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const allowed = can('notification.self');
  const [params, setParams] = useSearchParams();
  const filter: Filter = params.get('filter') === 'unread' ? 'unread' : 'all';
  const list = useInbox(filter === 'unread');
  const unread = useUnreadCount(allowed);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const count = unread.data?.count ?? 0;

  const setFilter = (next: string) => {
    const p = new URLSearchParams(params);
    if (next === 'unread') p.set('filter', 'unread');
    else p.delete('filter');
    setParams(p, { replace: true });
  };
  const open = (item: Notification) => {
    if (item.readAt === null) markRead.mutate(item.id);
  };
  const markAllRead = () =>
    markAll.mutate(undefined, {
      onSuccess: ({ marked }) =>
        notifications.show({ color: 'teal', message: t('inbox.markedAll', { count: marked }) }),
      onError: () => notifications.show({ color: 'red', message: t('inbox.markFailed') }),
    });

  if (!allowed) {
    return (
      <>
        <PageHeader title={t('inbox.title')} breadcrumbs={[{ label: t('inbox.title') }]} />
        <NoAccess />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={t('inbox.title')}
        description={t('inbox.description')}
        breadcrumbs={[{ label: t('inbox.title') }]}
        actions={
          <Button
            variant="default"
            leftSection={<IconChecks size={16} aria-hidden />}
            disabled={count === 0}
            loading={markAll.isPending}
            onClick={markAllRead}
          >
            {t('inbox.markAllRead')}
          </Button>
        }
      />
      <Group mb="sm" justify="space-between" gap="xs">
        <SegmentedControl
          value={filter}
          onChange={setFilter}
          aria-label={t('inbox.filter')}
          data={[
            { value: 'all', label: t('inbox.filterAll') },
            { value: 'unread', label: count > 0 ? t('inbox.filterUnreadCount', { count }) : t('inbox.filterUnread') },
          ]}
        />
      </Group>
      <Paper withBorder radius="md" maw={880}>
        {list.isError && !list.data ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />
        ) : list.isPending ? (
          <Stack gap="md" p="md" aria-busy="true" aria-label={t('common.loading')}>
            {[0, 1, 2, 3].map((i) => (
              <Stack key={i} gap={6}>
                <Skeleton height={12} width="55%" radius="sm" />
                <Skeleton height={10} width="85%" radius="sm" />
              </Stack>
            ))}
          </Stack>
        ) : items.length === 0 ? (
          <EmptyState
            icon={<IconBellOff size={28} stroke={1.5} aria-hidden />}
            title={filter === 'unread' ? t('inbox.emptyUnreadTitle') : t('inbox.emptyTitle')}
            description={t('inbox.emptyText')}
            action={
              filter === 'unread' ? (
                <Button variant="default" onClick={() => setFilter('all')}>
                  {t('inbox.showAll')}
                </Button>
              ) : undefined
            }
          />
        ) : (
          <ul
            aria-label={t('inbox.title')}
            aria-busy={list.isFetching}
            style={{ listStyle: 'none', margin: 0, padding: 4, opacity: list.isPlaceholderData ? 0.6 : 1 }}
          >
            {items.map((item, i) => (
              <Fragment key={item.id}>
                {i > 0 && <Divider component="li" aria-hidden mx="sm" />}
                <li>
                  <NotificationItem
                    item={item}
                    onOpen={open}
                    actions={
                      item.readAt === null ? (
                        <Tooltip label={t('inbox.markRead')} withArrow>
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            aria-label={t('inbox.markReadOf', { title: item.title })}
                            loading={markRead.isPending && markRead.variables === item.id}
                            onClick={() => markRead.mutate(item.id)}
                          >
                            <IconCheck size={16} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                      ) : undefined
                    }
                  />
                </li>
              </Fragment>
            ))}
          </ul>
        )}
      </Paper>
      {items.length > 0 && (
        <Stack maw={880}>
          <LoadMore
            shown={items.length}
            hasMore={Boolean(list.hasNextPage)}
            loading={list.isFetchingNextPage}
            onLoadMore={() => void list.fetchNextPage()}
          />
        </Stack>
      )}
    </>
  );
}
