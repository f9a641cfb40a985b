import { ActionIcon, Anchor, Badge, Group, Menu, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowsExchange, IconUser } from '@tabler/icons-react';
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Task, TaskStatus } from '../../../shared/tasks/tasks.schemas.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { LoadMore } from '../../components/load-more.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { DueText, OverdueBadge, PriorityBadge, RecurringMark, STATUS_COLOR } from './task-ui.tsx';
import { useUpdateTask } from './tasks.api.ts';

/** The columns of the board, in the order work moves through them (cancelled tasks are left out). */
export const BOARD_COLUMNS: readonly TaskStatus[] = ['open', 'in_progress', 'blocked', 'done'];
const MOVE_TARGETS: readonly TaskStatus[] = ['open', 'in_progress', 'blocked', 'done', 'cancelled'];

interface TaskBoardProps {
  query: UseInfiniteQueryResult<InfiniteData<{ items: Task[]; nextCursor: string | null }>, Error>;
  zoneOf: (officeId: string) => string | undefined;
  nameOf: (id: string | null) => string;
}

/** Tasks as cards in status columns; a card's menu moves it to another status. */
export function TaskBoard({ query, zoneOf, nameOf }: TaskBoardProps) {
  const { t } = useTranslation();
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);

  if (query.isError && !query.data) {
    return (
      <Paper withBorder radius="md">
        <ErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      </Paper>
    );
  }

  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" aria-busy={query.isFetching}>
        {BOARD_COLUMNS.map((status) => {
          const cards = rows.filter((r) => r.status === status);
          const headingId = `board-column-${status}`;
          return (
            <Paper
              key={status}
              component="section"
              aria-labelledby={headingId}
              withBorder
              radius="md"
              p="xs"
              bg="var(--mantine-color-default-hover)"
              style={{ borderTop: `3px solid var(--mantine-color-${STATUS_COLOR[status]}-filled)` }}
            >
              <Group justify="space-between" mb="xs" px={4}>
                <Title order={2} fz="sm" id={headingId}>
                  {t(`tasks.status.${status}`)}
                </Title>
                <Badge variant="default" radius="sm" aria-label={t('tasks.board.count', { count: cards.length })}>
                  {cards.length}
                </Badge>
              </Group>
              <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
                {query.isPending
                  ? [0, 1].map((i) => <Skeleton key={i} height={72} radius="md" />)
                  : cards.map((task) => (
                      <li key={task.id}>
                        <TaskCard task={task} timeZone={zoneOf(task.officeId)} ownerName={nameOf(task.ownerUserId)} />
                      </li>
                    ))}
                {!query.isPending && cards.length === 0 && (
                  <Text fz="xs" c="dimmed" ta="center" py="md">
                    {t('tasks.board.empty')}
                  </Text>
                )}
              </Stack>
            </Paper>
          );
        })}
      </SimpleGrid>
      {rows.length > 0 && (
        <LoadMore
          shown={rows.length}
          hasMore={Boolean(query.hasNextPage)}
          loading={query.isFetchingNextPage}
          onLoadMore={() => void query.fetchNextPage()}
        />
      )}
    </>
  );
}

function TaskCard({ task, timeZone, ownerName }: { task: Task; timeZone: string | undefined; ownerName: string }) {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const update = useUpdateTask();
  const canMove = can('task.write') || task.ownerUserId === me.userId;

  const move = (status: TaskStatus) =>
    update.mutate(
      { id: task.id, body: { status, version: task.version } },
      {
        onSuccess: (saved) =>
          notifications.show({
            color: 'teal',
            message: t('tasks.moved', { title: saved.title, status: t(`tasks.status.${status}`) }),
          }),
        onError: (error) =>
          notifications.show({
            color: isApiError(error) && error.isConflict ? 'orange' : 'red',
            title: isApiError(error) && error.isConflict ? t('tasks.conflict.title') : undefined,
            message: isApiError(error) && error.isConflict ? t('tasks.conflict.moveText') : error.message,
          }),
      },
    );

  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      shadow="xs"
      style={{
        borderLeft: task.overdue ? '3px solid var(--mantine-color-red-filled)' : undefined,
        opacity: update.isPending ? 0.6 : 1,
      }}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <Anchor component={Link} to={`/tasks/${task.id}`} fz="sm" fw={500} lineClamp={3}>
            {task.title}
          </Anchor>
          {task.seriesId && <RecurringMark />}
        </Group>
        {canMove && (
          <Menu position="bottom-end" shadow="md">
            <Menu.Target>
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={t('tasks.board.move', { title: task.title })}
                loading={update.isPending}
              >
                <IconArrowsExchange size={16} aria-hidden />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{t('tasks.board.moveTo')}</Menu.Label>
              {MOVE_TARGETS.filter((s) => s !== task.status).map((s) => (
                <Menu.Item key={s} onClick={() => move(s)}>
                  {t(`tasks.status.${s}`)}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        )}
      </Group>
      <Group gap={6} mt={6} wrap="wrap">
        <PriorityBadge priority={task.priority} />
        {task.overdue && <OverdueBadge />}
      </Group>
      <Group gap="md" mt={6} wrap="wrap">
        <Group gap={4} wrap="nowrap">
          <IconUser size={14} aria-hidden />
          <Text fz="xs" c={task.ownerUserId ? undefined : 'dimmed'}>
            {ownerName}
          </Text>
        </Group>
        <DueText task={task} timeZone={timeZone} />
      </Group>
    </Paper>
  );
}
