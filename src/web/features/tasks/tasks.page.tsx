import {
  Anchor,
  Button,
  Checkbox,
  Group,
  Menu,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconCalendarEvent,
  IconChecklist,
  IconChevronDown,
  IconLayoutKanban,
  IconList,
  IconPlus,
  IconUser,
  IconX,
} from '@tabler/icons-react';
import { type MouseEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { TASK_SORTS, TASK_STATUSES, type Task } from '../../../shared/tasks/tasks.schemas.ts';
import { useOffices } from '../../app/office-context.tsx';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { RecordTable } from '../../components/record-table.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { TaskBoard } from './task-board.tsx';
import { zonedToIso } from './task-dates.ts';
import { TaskFormModal } from './task-form.modal.tsx';
import {
  DueText,
  OverdueBadge,
  PriorityBadge,
  RecurringMark,
  StatusBadge,
  useOfficeUserOptions,
  useUserNames,
} from './task-ui.tsx';
import {
  type OfficeTaskFilters,
  type TaskSort,
  useBulkUpdateTasks,
  useMyTasks,
  useOfficeTasks,
  useOfficeZones,
} from './tasks.api.ts';

const VIEWS = ['mine', 'office', 'overdue'] as const;
type View = (typeof VIEWS)[number];
const LAYOUTS = ['list', 'board'] as const;
type Layout = (typeof LAYOUTS)[number];
const STATUS_FILTERS = ['active', 'all', ...TASK_STATUSES, 'closed'] as const;
type StatusFilter = (typeof STATUS_FILTERS)[number];
const DUE_FILTERS = ['any', 'overdue', 'week', 'month'] as const;
type DueFilter = (typeof DUE_FILTERS)[number];

function pick<T extends string>(values: readonly T[], value: string | null, fallback: T): T {
  return values.find((v) => v === value) ?? fallback;
}

/** A bound that changes once an hour, so the query key stays stable between renders. */
function dueBefore(days: number): string {
  const hour = 3_600_000;
  return new Date(Math.ceil(Date.now() / hour) * hour + days * 86_400_000).toISOString();
}

export function TasksPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { current } = useOffices();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const canReadOffice = can('task.read');
  const canWrite = can('task.write');

  const view: View = pick(VIEWS, params.get('view'), 'mine');
  const layout: Layout = pick(LAYOUTS, params.get('layout'), 'list');
  const status: StatusFilter = pick(STATUS_FILTERS, params.get('status'), 'active');
  const due: DueFilter = pick(DUE_FILTERS, params.get('due'), 'any');
  const owner = params.get('owner') ?? '';
  const sort: TaskSort = pick(TASK_SORTS, params.get('sort'), 'dueAt');
  const officeView = canReadOffice && view !== 'mine';

  const update = (changes: Record<string, string | undefined>) => {
    setParams(
      () => {
        // From the address bar, not the last render: two quick changes must not undo each other.
        const next = new URLSearchParams(window.location.search);
        for (const [k, v] of Object.entries(changes)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );
  };

  // The board shows every status as a column; the list filters by status.
  const filters = useMemo(() => {
    const f: OfficeTaskFilters = { sort };
    if (layout === 'list' && status !== 'all') f.status = status;
    if (view === 'overdue' || due === 'overdue') f.overdue = 'true';
    else if (due === 'week') f.dueBefore = dueBefore(7);
    else if (due === 'month') f.dueBefore = dueBefore(30);
    if (officeView && owner) f.ownerUserId = owner;
    return f;
  }, [sort, layout, status, view, due, officeView, owner]);

  const { ownerUserId: _ignored, ...myFilters } = filters;
  const mine = useMyTasks(myFilters, !officeView);
  const office = useOfficeTasks(current?.id, filters, officeView);
  const query = officeView ? office : mine;
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const zoneOf = useOfficeZones(
    useMemo(() => [...(current ? [current.id] : []), ...rows.map((r) => r.officeId)], [current, rows]),
  );
  const { nameOf } = useUserNames();
  const owners = useOfficeUserOptions(current?.id);
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const shownSelected = rows.filter((r) => selected.has(r.id));
  const zone = current ? zoneOf(current.id) : undefined;

  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allOn = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const someOn = rows.some((r) => selected.has(r.id));

  const viewLabel = (v: View) =>
    v === 'office' && current ? t('tasks.views.officeNamed', { code: current.code }) : t(`tasks.views.${v}`);
  const shownViews = VIEWS.filter((v) => v !== 'office' || (canReadOffice && current));

  return (
    <>
      <PageHeader
        title={t('tasks.title')}
        description={t('tasks.description')}
        breadcrumbs={[{ label: t('tasks.title') }]}
        actions={
          canWrite &&
          current && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
              {t('tasks.new')}
            </Button>
          )
        }
      />
      <Tabs
        value={view}
        onChange={(v) => {
          setSelected(new Set());
          update({ view: v === 'mine' ? undefined : (v ?? undefined), owner: undefined });
        }}
        mb="sm"
      >
        <Tabs.List aria-label={t('tasks.views.label')}>
          {shownViews.map((v) => (
            <Tabs.Tab key={v} value={v}>
              {viewLabel(v)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>

      <Group justify="space-between" align="flex-end" gap="sm" mb="sm" wrap="wrap">
        <Group gap="sm" align="flex-end" wrap="wrap" style={{ flex: '1 1 auto' }}>
          {layout === 'list' && (
            <Select
              label={t('tasks.filters.status')}
              data={STATUS_FILTERS.map((s) => ({ value: s, label: t(`tasks.statusFilter.${s}`) }))}
              value={status}
              onChange={(s) => update({ status: s === 'active' ? undefined : (s ?? undefined) })}
              allowDeselect={false}
              w={170}
              comboboxProps={{ withinPortal: true }}
            />
          )}
          {view !== 'overdue' && (
            <Select
              label={t('tasks.filters.due')}
              data={DUE_FILTERS.map((d) => ({ value: d, label: t(`tasks.dueFilter.${d}`) }))}
              value={due}
              onChange={(d) => update({ due: d === 'any' ? undefined : (d ?? undefined) })}
              allowDeselect={false}
              w={170}
              comboboxProps={{ withinPortal: true }}
            />
          )}
          {officeView && (
            <Select
              label={t('tasks.filters.owner')}
              placeholder={t('tasks.filters.anyOwner')}
              data={owners}
              value={owner || null}
              onChange={(o) => update({ owner: o ?? undefined })}
              clearable
              searchable
              w={200}
              nothingFoundMessage={t('common.nothingFound')}
              comboboxProps={{ withinPortal: true }}
            />
          )}
        </Group>
        <SegmentedControl
          aria-label={t('tasks.layout.label')}
          value={layout}
          onChange={(l) => update({ layout: l === 'list' ? undefined : l })}
          data={[
            {
              value: 'list',
              label: (
                <Group gap={6} wrap="nowrap">
                  <IconList size={16} aria-hidden />
                  <span>{t('tasks.layout.list')}</span>
                </Group>
              ),
            },
            {
              value: 'board',
              label: (
                <Group gap={6} wrap="nowrap">
                  <IconLayoutKanban size={16} aria-hidden />
                  <span>{t('tasks.layout.board')}</span>
                </Group>
              ),
            },
          ]}
        />
      </Group>

      {canWrite && shownSelected.length > 0 && (
        <BulkBar tasks={shownSelected} ownerOptions={owners} timeZone={zone} onDone={() => setSelected(new Set())} />
      )}

      {layout === 'board' ? (
        <TaskBoard query={query} zoneOf={zoneOf} nameOf={nameOf} />
      ) : (
        <RecordTable<Task, TaskSort>
          label={viewLabel(view)}
          query={query}
          sort={sort}
          onSort={(s) => update({ sort: s === 'dueAt' ? undefined : s })}
          minWidth={canWrite ? 820 : 760}
          onRowClick={(task) => navigate(`/tasks/${task.id}`)}
          columns={[
            ...(canWrite
              ? [
                  {
                    key: 'select',
                    width: 40,
                    header: (
                      <Checkbox
                        aria-label={t('tasks.bulk.selectAll')}
                        checked={allOn}
                        indeterminate={someOn && !allOn}
                        onChange={(e) =>
                          setSelected(e.currentTarget.checked ? new Set(rows.map((r) => r.id)) : new Set())
                        }
                      />
                    ),
                    cellProps: { onClick: (e: MouseEvent) => e.stopPropagation() },
                    cell: (task: Task) => (
                      <Checkbox
                        aria-label={t('tasks.bulk.select', { title: task.title })}
                        checked={selected.has(task.id)}
                        onChange={(e) => toggle(task.id, e.currentTarget.checked)}
                      />
                    ),
                  },
                ]
              : []),
            {
              key: 'title',
              header: t('tasks.fields.title'),
              cell: (task) => (
                <Stack gap={2}>
                  <Group gap={6} wrap="nowrap">
                    <Anchor
                      component={Link}
                      to={`/tasks/${task.id}`}
                      fz="sm"
                      fw={500}
                      onClick={(e) => e.stopPropagation()}
                      lineClamp={2}
                    >
                      {task.title}
                    </Anchor>
                    {task.seriesId && <RecurringMark />}
                  </Group>
                  {task.overdue && (
                    <div>
                      <OverdueBadge />
                    </div>
                  )}
                </Stack>
              ),
            },
            { key: 'status', header: t('tasks.fields.status'), cell: (task) => <StatusBadge status={task.status} /> },
            {
              key: 'priority',
              header: t('tasks.fields.priority'),
              cell: (task) => <PriorityBadge priority={task.priority} />,
            },
            {
              key: 'owner',
              header: t('tasks.fields.owner'),
              cell: (task) => (
                <Text fz="sm" c={task.ownerUserId ? undefined : 'dimmed'}>
                  {nameOf(task.ownerUserId)}
                </Text>
              ),
            },
            {
              key: 'dueAt',
              sortField: 'dueAt',
              header: t('tasks.fields.due'),
              cell: (task) => <DueText task={task} timeZone={zoneOf(task.officeId)} />,
            },
          ]}
          empty={{
            icon: <IconChecklist size={28} stroke={1.5} aria-hidden />,
            title: view === 'overdue' ? t('tasks.empty.overdueTitle') : t('tasks.empty.title'),
            description: view === 'mine' ? t('tasks.empty.mine') : t('tasks.empty.office'),
            action: canWrite && current && (
              <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
                {t('tasks.new')}
              </Button>
            ),
          }}
        />
      )}

      {current && (
        <TaskFormModal officeId={current.id} timeZone={zone} opened={creating} onClose={() => setCreating(false)} />
      )}
    </>
  );
}

interface BulkBarProps {
  tasks: Task[];
  ownerOptions: { value: string; label: string }[];
  timeZone: string | undefined;
  onDone: () => void;
}

/** Actions on the selected tasks: all or nothing on the server. */
function BulkBar({ tasks, ownerOptions, timeZone, onDone }: BulkBarProps) {
  const { t } = useTranslation();
  const bulk = useBulkUpdateTasks();
  const [dialog, setDialog] = useState<'owner' | 'due' | undefined>();
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [dueDate, setDueDate] = useState('');
  const [dueTime, setDueTime] = useState('17:00');
  const ids = tasks.map((x) => x.id);
  const count = tasks.length;

  const run = (body: Parameters<typeof bulk.mutate>[0]) =>
    bulk.mutate(body, {
      onSuccess: (r) => {
        notifications.show({ color: 'teal', message: t('tasks.bulk.done', { count: r.items.length }) });
        setDialog(undefined);
        onDone();
      },
      onError: (error) => {
        if (!dialog) notifications.show({ color: 'red', message: error.message });
      },
    });

  return (
    <Paper withBorder radius="md" p="xs" mb="sm" bg="var(--mantine-color-default-hover)">
      <Group gap="xs" wrap="wrap" role="toolbar" aria-label={t('tasks.bulk.label')}>
        <Text fz="sm" fw={600} mr="xs">
          {t('tasks.bulk.selected', { count })}
        </Text>
        <Menu position="bottom-start" shadow="md">
          <Menu.Target>
            <Button size="xs" variant="default" rightSection={<IconChevronDown size={14} aria-hidden />}>
              {t('tasks.bulk.setStatus')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {TASK_STATUSES.map((s) => (
              <Menu.Item key={s} onClick={() => run({ action: 'setStatus', ids, status: s })}>
                {t(`tasks.status.${s}`)}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconUser size={14} aria-hidden />}
          onClick={() => setDialog('owner')}
        >
          {t('tasks.bulk.setOwner')}
        </Button>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconCalendarEvent size={14} aria-hidden />}
          onClick={() => setDialog('due')}
        >
          {t('tasks.bulk.setDue')}
        </Button>
        <Button size="xs" variant="subtle" color="gray" leftSection={<IconX size={14} aria-hidden />} onClick={onDone}>
          {t('tasks.bulk.clear')}
        </Button>
      </Group>
      {bulk.error && !dialog && (
        <Stack mt="xs">
          <ProblemAlert error={bulk.error} />
        </Stack>
      )}
      <Modal
        opened={dialog !== undefined}
        onClose={() => setDialog(undefined)}
        title={dialog === 'owner' ? t('tasks.bulk.setOwnerTitle', { count }) : t('tasks.bulk.setDueTitle', { count })}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (dialog === 'owner') run({ action: 'setOwner', ids, ownerUserId: ownerId });
            else
              run({
                action: 'setDueAt',
                ids,
                dueAt: dueDate ? (zonedToIso(dueDate, dueTime, timeZone) ?? null) : null,
              });
          }}
        >
          <Stack gap="md">
            {bulk.error && <ProblemAlert error={bulk.error} />}
            {dialog === 'owner' ? (
              <Select
                label={t('tasks.fields.owner')}
                placeholder={t('tasks.unassigned')}
                data={ownerOptions}
                value={ownerId}
                onChange={setOwnerId}
                clearable
                searchable
                data-autofocus
                comboboxProps={{ withinPortal: true }}
              />
            ) : (
              <Stack gap="xs">
                <SimpleGrid cols={2}>
                  <TextInput
                    type="date"
                    label={t('tasks.fields.dueDate')}
                    value={dueDate}
                    onChange={(e) => setDueDate(e.currentTarget.value)}
                    data-autofocus
                  />
                  <TextInput
                    type="time"
                    label={t('tasks.fields.dueTime')}
                    value={dueTime}
                    onChange={(e) => setDueTime(e.currentTarget.value)}
                  />
                </SimpleGrid>
                <Text fz="xs" c="dimmed">
                  {t('tasks.fields.inZone', { zone: timeZone ?? 'UTC' })}
                </Text>
              </Stack>
            )}
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={() => setDialog(undefined)}>
                {t('common.cancel')}
              </Button>
              <SubmitButton loading={bulk.isPending}>{t('tasks.bulk.apply', { count })}</SubmitButton>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Paper>
  );
}
