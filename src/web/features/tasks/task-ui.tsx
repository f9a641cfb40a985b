import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconRepeat } from '@tabler/icons-react';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Task, TaskPriority, TaskStatus } from '../../../shared/tasks/tasks.schemas.ts';
import type { User } from '../../../shared/users/users.schemas.ts';
import { useOffices } from '../../app/office-context.tsx';
import { useSession } from '../../app/session.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { useAllUsers } from './tasks.api.ts';

export const STATUS_COLOR: Record<TaskStatus, string> = {
  open: 'blue',
  in_progress: 'indigo',
  blocked: 'orange',
  done: 'teal',
  cancelled: 'gray',
};

export const PRIORITY_COLOR: Record<TaskPriority, string> = {
  low: 'gray',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};

export function StatusBadge({ status }: { status: TaskStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" radius="sm" tt="none">
      {t(`tasks.status.${status}`)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: TaskPriority }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={PRIORITY_COLOR[priority]}
      variant={priority === 'urgent' ? 'filled' : 'outline'}
      radius="sm"
      tt="none"
    >
      {t(`tasks.priority.${priority}`)}
    </Badge>
  );
}

export function OverdueBadge() {
  const { t } = useTranslation();
  return (
    <Badge color="red" variant="filled" radius="sm" tt="none" leftSection={<IconAlertTriangle size={12} aria-hidden />}>
      {t('tasks.overdue')}
    </Badge>
  );
}

export function RecurringMark() {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('tasks.recurring')} withArrow>
      <IconRepeat size={14} aria-label={t('tasks.recurring')} role="img" />
    </Tooltip>
  );
}

/** The due date in the office's zone; overdue tasks in red with a mark that does not rely on colour. */
export function DueText({
  task,
  timeZone,
  full = false,
}: {
  task: Task;
  timeZone?: string | undefined;
  full?: boolean;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  if (!task.dueAt) {
    return (
      <Text component="span" fz="sm" c="dimmed">
        {t('tasks.noDue')}
      </Text>
    );
  }
  const long = formatDateTime(task.dueAt, language, timeZone);
  const text = full ? long : formatDate(task.dueAt, language, timeZone);
  return (
    <Group component="span" gap={4} wrap="nowrap" c={task.overdue ? 'red' : undefined} title={long}>
      {task.overdue && <IconAlertTriangle size={14} aria-hidden />}
      <Text
        component="span"
        fz="sm"
        fw={task.overdue ? 600 : undefined}
        c={task.overdue ? 'red' : undefined}
        style={{ whiteSpace: full ? undefined : 'nowrap' }}
      >
        {text}
      </Text>
    </Group>
  );
}

/** Names of users by id (from the user list when the role may read it; "You" for oneself). */
export function useUserNames(): { nameOf: (id: string | null) => string; users: User[]; loading: boolean } {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const list = useAllUsers(can('user.read'));
  const byId = useMemo(() => new Map((list.data ?? []).map((u) => [u.id, u.displayName])), [list.data]);
  const nameOf = useCallback(
    (id: string | null) => {
      if (!id) return t('tasks.unassigned');
      if (id === me.userId) return t('tasks.you', { name: me.displayName });
      return byId.get(id) ?? t('tasks.someone');
    },
    [byId, me.userId, me.displayName, t],
  );
  return { nameOf, users: list.data ?? [], loading: list.isLoading };
}

/** Users who can own a task of an office: its members (and the caller), active accounts only. */
export function useOfficeUserOptions(officeId: string | undefined): { value: string; label: string }[] {
  const { me } = useSession();
  const { offices } = useOffices();
  const { users } = useUserNames();
  const code = offices.find((o) => o.id === officeId)?.code;
  return useMemo(() => {
    const out = users
      .filter((u) => !u.isDisabled && (u.id === me.userId || (code !== undefined && u.officeCodes.includes(code))))
      .map((u) => ({ value: u.id, label: u.displayName }));
    if (!out.some((o) => o.value === me.userId)) out.push({ value: me.userId, label: me.displayName });
    return out.sort((a, b) => a.label.localeCompare(b.label));
  }, [users, code, me.userId, me.displayName]);
}

/** Where the record a task belongs to lives in the app. */
export function subjectPath(task: Pick<Task, 'officeId' | 'subject'>): string | undefined {
  const s = task.subject;
  if (!s) return undefined;
  switch (s.entityType) {
    case 'office':
      return `/offices/${encodeURIComponent(s.entityId)}`;
    case 'site':
      return `/offices/${encodeURIComponent(task.officeId)}/sites`;
    case 'task':
      return `/tasks/${encodeURIComponent(s.entityId)}`;
    case 'checklist_run':
      return `/inspections/runs/${encodeURIComponent(s.entityId)}`;
    default:
      return undefined;
  }
}
