import {
  Alert,
  Anchor,
  Button,
  Grid,
  Group,
  Menu,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconCheck,
  IconChevronDown,
  IconHistory,
  IconLink,
  IconMessage,
  IconPaperclip,
  IconPencil,
  IconRepeat,
} from '@tabler/icons-react';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { AuditEntry } from '../../../shared/audit/audit.schemas.ts';
import {
  CLOSED_TASK_STATUSES,
  TASK_STATUSES,
  type Task,
  type TaskStatus,
} from '../../../shared/tasks/tasks.schemas.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { LoadMore } from '../../components/load-more.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { PageSkeleton } from '../../components/skeletons.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { AttachmentsPanel } from '../attachments/attachments-panel.tsx';
import { TaskFormModal } from './task-form.modal.tsx';
import { DueText, OverdueBadge, PriorityBadge, StatusBadge, subjectPath, useUserNames } from './task-ui.tsx';
import {
  useAddComment,
  useOfficeZones,
  useStopSeries,
  useTask,
  useTaskComments,
  useTaskHistory,
  useTaskSeries,
  useUpdateTask,
} from './tasks.api.ts';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text fz="xs" c="dimmed" tt="uppercase" fw={600} lts={0.3}>
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  );
}

function Section({ id, icon, title, children }: { id: string; icon: ReactNode; title: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} component="section" aria-labelledby={id}>
      <Group gap={8} mb="sm" wrap="nowrap">
        {icon}
        <Title order={2} fz="md" id={id}>
          {title}
        </Title>
      </Group>
      {children}
    </Paper>
  );
}

export function TaskPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const task = useTask(id);

  if (task.isPending) return <PageSkeleton />;
  if (task.isError) {
    return (
      <>
        <PageHeader title={t('tasks.task')} breadcrumbs={[{ label: t('tasks.title'), to: '/tasks' }, { label: '…' }]} />
        <Paper withBorder radius="md">
          <ErrorState error={task.error} onRetry={() => void task.refetch()} retrying={task.isFetching} />
        </Paper>
        <Button
          mt="md"
          variant="subtle"
          component={Link}
          to="/tasks"
          leftSection={<IconArrowLeft size={16} aria-hidden />}
        >
          {t('tasks.back')}
        </Button>
      </>
    );
  }
  return <TaskView task={task.data} refetch={() => void task.refetch()} />;
}

function TaskView({ task, refetch }: { task: Task; refetch: () => void }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const { me, can } = useSession();
  const canEdit = can('task.write');
  const isOwner = task.ownerUserId === me.userId;
  const canStatus = canEdit || isOwner;
  const canComment = canEdit || isOwner;
  const zone = useOfficeZones(useMemo(() => [task.officeId], [task.officeId]))(task.officeId);
  const { nameOf } = useUserNames();
  const update = useUpdateTask();
  const [editing, setEditing] = useState(false);
  const closed = CLOSED_TASK_STATUSES.includes(task.status);
  const conflict = isApiError(update.error) && update.error.isConflict;
  const link = subjectPath(task);

  const setStatus = (status: TaskStatus) =>
    update.mutate(
      { id: task.id, body: { status, version: task.version } },
      {
        onSuccess: (saved) =>
          notifications.show({
            color: 'teal',
            message: t('tasks.moved', { title: saved.title, status: t(`tasks.status.${status}`) }),
          }),
      },
    );

  return (
    <>
      <PageHeader
        title={task.title}
        breadcrumbs={[{ label: t('tasks.title'), to: '/tasks' }, { label: task.title }]}
        badges={
          <Group gap={6}>
            <StatusBadge status={task.status} />
            <PriorityBadge priority={task.priority} />
            {task.overdue && <OverdueBadge />}
          </Group>
        }
        actions={
          <>
            {canStatus && !closed && (
              <Button
                leftSection={<IconCheck size={16} aria-hidden />}
                color="teal"
                onClick={() => setStatus('done')}
                loading={update.isPending && update.variables?.body.status === 'done'}
              >
                {t('tasks.markDone')}
              </Button>
            )}
            {canStatus && (
              <Menu position="bottom-end" shadow="md">
                <Menu.Target>
                  <Button variant="default" rightSection={<IconChevronDown size={14} aria-hidden />}>
                    {t('tasks.changeStatus')}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  {TASK_STATUSES.filter((s) => s !== task.status).map((s) => (
                    <Menu.Item key={s} onClick={() => setStatus(s)}>
                      {t(`tasks.status.${s}`)}
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            )}
            {canEdit && (
              <Button
                variant="default"
                leftSection={<IconPencil size={16} aria-hidden />}
                onClick={() => setEditing(true)}
              >
                {t('common.edit')}
              </Button>
            )}
          </>
        }
      />
      <Stack gap="md">
        {conflict ? (
          <Alert
            role="alert"
            color="orange"
            variant="light"
            icon={<IconAlertTriangle size={18} aria-hidden />}
            title={t('tasks.conflict.title')}
          >
            <Stack gap="xs" align="flex-start">
              {t('tasks.conflict.statusText')}
              <Button
                size="xs"
                onClick={() => {
                  update.reset();
                  refetch();
                }}
              >
                {t('tasks.conflict.reload')}
              </Button>
            </Stack>
          </Alert>
        ) : (
          update.error && <ProblemAlert error={update.error} />
        )}
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="md">
              <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }}>
                <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
                  <Fact label={t('tasks.fields.owner')}>
                    <Text fz="sm" c={task.ownerUserId ? undefined : 'dimmed'}>
                      {nameOf(task.ownerUserId)}
                    </Text>
                  </Fact>
                  <Fact label={t('tasks.fields.due')}>
                    <DueText task={task} timeZone={zone} full />
                  </Fact>
                  <Fact label={t('tasks.fields.priority')}>
                    <PriorityBadge priority={task.priority} />
                  </Fact>
                  <Fact label={t('tasks.fields.status')}>
                    <StatusBadge status={task.status} />
                  </Fact>
                </SimpleGrid>
                <Stack gap={4} mt="md">
                  <Text fz="xs" c="dimmed" tt="uppercase" fw={600} lts={0.3}>
                    {t('tasks.fields.description')}
                  </Text>
                  {task.description ? (
                    <Text fz="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                      {task.description}
                    </Text>
                  ) : (
                    <Text fz="sm" c="dimmed">
                      {t('tasks.noDescription')}
                    </Text>
                  )}
                </Stack>
                {task.subject && (
                  <Group gap={6} mt="md" wrap="nowrap">
                    <IconLink size={16} aria-hidden />
                    <Text fz="sm">
                      {t('tasks.belongsTo')}{' '}
                      {link ? (
                        <Anchor component={Link} to={link}>
                          {t(`tasks.subjects.${subjectKey(task.subject.entityType)}`)}
                        </Anchor>
                      ) : (
                        t(`tasks.subjects.${subjectKey(task.subject.entityType)}`)
                      )}
                    </Text>
                  </Group>
                )}
                {task.seriesId && <SeriesInfo seriesId={task.seriesId} canStop={canEdit} />}
                <Text fz="xs" c="dimmed" mt="md">
                  {t('tasks.createdAt', { date: formatDateTime(task.createdAt, language, zone) })}
                  {task.completedAt &&
                    ` · ${t('tasks.completedAt', { date: formatDateTime(task.completedAt, language, zone) })}`}
                </Text>
              </Paper>
              <CommentsSection taskId={task.id} canComment={canComment} zone={zone} />
              <Section
                id="task-attachments"
                icon={<IconPaperclip size={18} aria-hidden />}
                title={t('attachments.title')}
              >
                <AttachmentsPanel
                  target={{ entityType: 'task', entityId: task.id }}
                  canWrite={can('attachment.write') && (canEdit || isOwner)}
                />
              </Section>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <HistorySection taskId={task.id} zone={zone} nameOf={nameOf} />
          </Grid.Col>
        </Grid>
      </Stack>
      <TaskFormModal
        officeId={task.officeId}
        timeZone={zone}
        task={task}
        opened={editing}
        onClose={() => setEditing(false)}
      />
    </>
  );
}

const KNOWN_SUBJECTS = ['office', 'site', 'task', 'checklist_run'] as const;
function subjectKey(entityType: string): (typeof KNOWN_SUBJECTS)[number] | 'other' {
  return KNOWN_SUBJECTS.find((s) => s === entityType) ?? 'other';
}

function SeriesInfo({ seriesId, canStop }: { seriesId: string; canStop: boolean }) {
  const { t } = useTranslation();
  const series = useTaskSeries(seriesId);
  const stop = useStopSeries();
  if (series.isPending) return <Skeleton height={16} mt="md" width={240} />;
  if (!series.data) return null;
  const s = series.data;
  return (
    <Group gap={6} mt="md" wrap="wrap">
      <IconRepeat size={16} aria-hidden />
      <Text fz="sm">{t('tasks.repeats')}</Text>
      <Text fz="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
        {s.rrule}
      </Text>
      {!s.active ? (
        <Text fz="sm" c="dimmed">
          ({t('tasks.seriesStopped')})
        </Text>
      ) : (
        canStop && (
          <Button
            size="compact-xs"
            variant="subtle"
            color="red"
            loading={stop.isPending}
            onClick={() =>
              stop.mutate(
                { id: s.id, version: s.version },
                { onSuccess: () => notifications.show({ color: 'teal', message: t('tasks.seriesStoppedNow') }) },
              )
            }
          >
            {t('tasks.stopSeries')}
          </Button>
        )
      )}
    </Group>
  );
}

function CommentsSection({
  taskId,
  canComment,
  zone,
}: {
  taskId: string;
  canComment: boolean;
  zone: string | undefined;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const comments = useTaskComments(taskId);
  const add = useAddComment(taskId);
  const [body, setBody] = useState('');
  const items = comments.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Section id="task-comments" icon={<IconMessage size={18} aria-hidden />} title={t('tasks.comments.title')}>
      <Stack gap="sm">
        {comments.isError ? (
          <ErrorState error={comments.error} onRetry={() => void comments.refetch()} />
        ) : comments.isPending ? (
          <Skeleton height={40} />
        ) : items.length === 0 ? (
          <Text fz="sm" c="dimmed">
            {t('tasks.comments.none')}
          </Text>
        ) : (
          <Stack
            gap="xs"
            component="ol"
            p={0}
            m={0}
            style={{ listStyle: 'none' }}
            aria-label={t('tasks.comments.title')}
          >
            {items.map((c) => (
              <li key={c.id}>
                <Paper radius="md" p="xs" bg="var(--mantine-color-default-hover)">
                  <Group gap={6} justify="space-between" wrap="wrap">
                    <Text fz="sm" fw={600}>
                      {c.authorName}
                    </Text>
                    <Text fz="xs" c="dimmed">
                      {formatDateTime(c.createdAt, language, zone)}
                    </Text>
                  </Group>
                  <Text fz="sm" mt={2} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {c.body}
                  </Text>
                </Paper>
              </li>
            ))}
          </Stack>
        )}
        {comments.hasNextPage && (
          <LoadMore
            shown={items.length}
            hasMore
            loading={comments.isFetchingNextPage}
            onLoadMore={() => void comments.fetchNextPage()}
          />
        )}
        {canComment && (
          <form
            aria-label={t('tasks.comments.add')}
            onSubmit={(e) => {
              e.preventDefault();
              if (!body.trim()) return;
              add.mutate(body, { onSuccess: () => setBody('') });
            }}
          >
            <Stack gap="xs">
              {add.error && <ProblemAlert error={add.error} />}
              <Textarea
                label={t('tasks.comments.add')}
                autosize
                minRows={2}
                maxRows={8}
                maxLength={10_000}
                value={body}
                onChange={(e) => setBody(e.currentTarget.value)}
              />
              <Group justify="flex-end">
                <SubmitButton size="sm" loading={add.isPending} disabled={!body.trim()}>
                  {t('tasks.comments.post')}
                </SubmitButton>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Section>
  );
}

const HISTORY_ACTIONS = [
  'task.create',
  'task.update',
  'task.comment',
  'task_series.create',
  'task_series.stop',
] as const;
const HISTORY_FIELDS = ['title', 'description', 'ownerUserId', 'dueAt', 'priority', 'status', 'subject'] as const;

function HistorySection({
  taskId,
  zone,
  nameOf,
}: {
  taskId: string;
  zone: string | undefined;
  nameOf: (id: string | null) => string;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const history = useTaskHistory(taskId);
  const items = history.data?.pages.flatMap((p) => p.items) ?? [];

  const value = (field: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (field === 'status' && typeof v === 'string' && (TASK_STATUSES as readonly string[]).includes(v))
      return t(`tasks.status.${v as TaskStatus}`);
    if (field === 'priority' && typeof v === 'string') return t(`tasks.priority.${v as Task['priority']}`, v);
    if (field === 'ownerUserId' && typeof v === 'string') return nameOf(v);
    if (field === 'dueAt' && typeof v === 'string') return formatDateTime(v, language, zone);
    if (typeof v === 'string') return v.length > 60 ? `${v.slice(0, 60)}…` : v;
    return JSON.stringify(v);
  };

  const describe = (entry: AuditEntry): string[] => {
    if (entry.action !== 'task.update' || !entry.changes || typeof entry.changes !== 'object') return [];
    const out: string[] = [];
    for (const [field, change] of Object.entries(entry.changes as Record<string, unknown>)) {
      if (!Array.isArray(change) || change.length !== 2) continue;
      const known = HISTORY_FIELDS.find((f) => f === field);
      if (!known) continue;
      out.push(
        known === 'description'
          ? t('tasks.history.descriptionChanged')
          : t('tasks.history.change', {
              field: t(`tasks.history.fields.${known}`),
              from: value(field, change[0]),
              to: value(field, change[1]),
            }),
      );
    }
    return out;
  };

  return (
    <Section id="task-history" icon={<IconHistory size={18} aria-hidden />} title={t('tasks.history.title')}>
      {history.isError ? (
        <ErrorState error={history.error} onRetry={() => void history.refetch()} />
      ) : history.isPending ? (
        <Skeleton height={60} />
      ) : items.length === 0 ? (
        <Text fz="sm" c="dimmed">
          {t('tasks.history.none')}
        </Text>
      ) : (
        <>
          <Timeline bulletSize={12} lineWidth={2}>
            {items.map((entry) => {
              const action = HISTORY_ACTIONS.find((a) => a === entry.action);
              return (
                <Timeline.Item
                  key={entry.id}
                  title={
                    <Text fz="sm" fw={500}>
                      {action ? t(`tasks.history.actions.${action.replace('.', '_') as 'task_create'}`) : entry.action}
                    </Text>
                  }
                >
                  {describe(entry).map((line) => (
                    <Text key={line} fz="sm">
                      {line}
                    </Text>
                  ))}
                  <Text fz="xs" c="dimmed">
                    {entry.actorLabel} · {formatDateTime(entry.at, language, zone)}
                  </Text>
                </Timeline.Item>
              );
            })}
          </Timeline>
          {history.hasNextPage && (
            <LoadMore
              shown={items.length}
              hasMore
              loading={history.isFetchingNextPage}
              onLoadMore={() => void history.fetchNextPage()}
            />
          )}
        </>
      )}
    </Section>
  );
}
