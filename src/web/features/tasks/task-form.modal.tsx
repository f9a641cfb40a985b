import { Alert, Button, Group, Modal, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconLink } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  TASK_PRIORITIES,
  type Task,
  TaskCreateBody,
  type TaskPriority,
  type TaskSubject,
  TaskUpdateInput,
} from '../../../shared/tasks/tasks.schemas.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useZodForm } from '../../lib/form.ts';
import { isoToZoned, zonedToIso } from './task-dates.ts';
import { useOfficeUserOptions } from './task-ui.tsx';
import { fetchTask, useCreateTask, useOfficeZones, useUpdateTask } from './tasks.api.ts';

export const RECURRENCE_PRESETS = ['none', 'weekly', 'monthly', 'yearly', 'custom'] as const;
type Recurrence = (typeof RECURRENCE_PRESETS)[number];
const PRESET_RULES: Record<Exclude<Recurrence, 'none' | 'custom'>, string> = {
  weekly: 'FREQ=WEEKLY',
  monthly: 'FREQ=MONTHLY',
  yearly: 'FREQ=YEARLY',
};

interface TaskValues {
  title: string;
  description: string;
  ownerUserId: string;
  dueDate: string;
  dueTime: string;
  priority: TaskPriority;
  recurrence: Recurrence;
  rrule: string;
}

const DEFAULT_TIME = '17:00';

function valuesOf(task: Task | undefined, timeZone: string | undefined, defaults: Partial<TaskValues>): TaskValues {
  const due = isoToZoned(task?.dueAt, timeZone);
  return {
    title: task?.title ?? defaults.title ?? '',
    description: task?.description ?? defaults.description ?? '',
    ownerUserId: task?.ownerUserId ?? defaults.ownerUserId ?? '',
    dueDate: due.date || defaults.dueDate || '',
    dueTime: due.time || DEFAULT_TIME,
    priority: task?.priority ?? defaults.priority ?? 'normal',
    recurrence: 'none',
    rrule: '',
  };
}

function dueOf(v: TaskValues, timeZone: string | undefined): string | null {
  if (!v.dueDate) return null;
  // An unreadable date is sent as typed so the schema names the field.
  return zonedToIso(v.dueDate, v.dueTime || DEFAULT_TIME, timeZone) ?? v.dueDate;
}

function ruleOf(v: TaskValues): string | undefined {
  if (v.recurrence === 'none') return undefined;
  if (v.recurrence === 'custom') return v.rrule.trim().replace(/^RRULE:/i, '');
  return PRESET_RULES[v.recurrence];
}

export interface TaskFormModalProps {
  officeId: string;
  /** The office's time zone: the due date is entered in it. */
  timeZone: string | undefined;
  /** The task to edit; none to create one. */
  task?: Task | undefined;
  /** The record a new task belongs to (when created from a record page), with a label to show. */
  subject?: (TaskSubject & { label: string }) | undefined;
  /** Values a new task starts with (e.g. from a failed checklist item). */
  defaults?: Partial<TaskValues>;
  opened: boolean;
  onClose: () => void;
  onSaved?: (task: Task) => void;
}

export function TaskFormModal(props: TaskFormModalProps) {
  if (!props.opened) return null;
  return <TaskForm key={props.task?.id ?? 'new'} {...props} />;
}

function TaskForm(props: TaskFormModalProps) {
  // The due date is entered in the office's zone: wait for it rather than guess.
  const zoneOf = useOfficeZones(useMemo(() => [props.officeId], [props.officeId]));
  const timeZone = props.timeZone ?? zoneOf(props.officeId);
  if (!timeZone) return null;
  return <TaskFormReady {...props} timeZone={timeZone} />;
}

function TaskFormReady({
  officeId,
  timeZone,
  task,
  subject,
  defaults = {},
  opened,
  onClose,
  onSaved,
}: TaskFormModalProps) {
  const { t } = useTranslation();
  const owners = useOfficeUserOptions(officeId);
  const create = useCreateTask(officeId);
  const update = useUpdateTask();
  const mutation = task ? update : create;
  const [version, setVersion] = useState(task?.version ?? 1);
  const [reloading, setReloading] = useState(false);

  const toBody = (v: TaskValues) => {
    const base = {
      title: v.title,
      description: v.description.trim() === '' ? null : v.description,
      ownerUserId: v.ownerUserId || null,
      dueAt: dueOf(v, timeZone),
      priority: v.priority,
    };
    if (task) return { ...base, version };
    const rrule = ruleOf(v);
    return {
      ...base,
      ...(subject ? { subject: { entityType: subject.entityType, entityId: subject.entityId } } : {}),
      ...(rrule !== undefined ? { recurrence: { rrule } } : {}),
    };
  };

  const form = useZodForm({
    schema: task ? TaskUpdateInput : TaskCreateBody,
    initialValues: valuesOf(task, timeZone, defaults),
    toInput: toBody,
  });
  const conflict = isApiError(mutation.error) && mutation.error.isConflict;
  const v = form.values;
  // Schema fields that are not inputs of their own (the due date and time make `dueAt`).
  const errorAt = (field: string) => form.errorOf(field as keyof TaskValues);
  // The rule's error comes back under recurrence.rrule: show it next to the rule.
  const ruleError = form.errorOf('rrule') ?? errorAt('recurrence');

  const submit = form.handleSubmit(() => {
    const onError = (error: unknown) => form.applyServerError(error);
    const done = (saved: Task, message: string) => {
      notifications.show({ color: 'teal', message });
      onSaved?.(saved);
      onClose();
    };
    if (task) {
      update.mutate(
        { id: task.id, body: { ...(toBody(v) as object), version } },
        { onSuccess: (saved) => done(saved, t('tasks.saved', { title: saved.title })), onError },
      );
    } else {
      create.mutate(toBody(v) as TaskCreateBody, {
        onSuccess: (saved) => done(saved, t('tasks.created', { title: saved.title })),
        onError,
      });
    }
  });

  const reloadLatest = async () => {
    if (!task) return;
    setReloading(true);
    try {
      const latest = await fetchTask(task.id);
      form.reset(valuesOf(latest, timeZone, {}));
      setVersion(latest.version);
      mutation.reset();
    } catch (error) {
      notifications.show({ color: 'red', message: isApiError(error) ? error.title : t('errors.unexpected') });
    } finally {
      setReloading(false);
    }
  };

  const title = task ? t('tasks.editTitle', { title: task.title }) : t('tasks.new');
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={submit} noValidate aria-label={title}>
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
                {t('tasks.conflict.text')}
                <Button size="xs" onClick={() => void reloadLatest()} loading={reloading}>
                  {t('tasks.conflict.reload')}
                </Button>
              </Stack>
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
          {subject && (
            <Group gap={6} wrap="nowrap">
              <IconLink size={16} aria-hidden />
              <Text fz="sm">{t('tasks.linkedTo', { label: subject.label })}</Text>
            </Group>
          )}
          <TextInput
            label={t('tasks.fields.title')}
            required
            maxLength={300}
            data-autofocus
            value={v.title}
            onChange={(e) => form.setValue('title', e.currentTarget.value)}
            onBlur={() => form.touch('title')}
            error={form.errorOf('title')}
          />
          <Textarea
            label={t('tasks.fields.description')}
            autosize
            minRows={2}
            maxRows={8}
            maxLength={10_000}
            value={v.description}
            onChange={(e) => form.setValue('description', e.currentTarget.value)}
            onBlur={() => form.touch('description')}
            error={form.errorOf('description')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <Select
              label={t('tasks.fields.owner')}
              placeholder={t('tasks.unassigned')}
              searchable
              clearable
              data={owners}
              value={v.ownerUserId || null}
              onChange={(id) => form.setValue('ownerUserId', id ?? '')}
              onBlur={() => form.touch('ownerUserId')}
              error={form.errorOf('ownerUserId')}
              nothingFoundMessage={t('common.nothingFound')}
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label={t('tasks.fields.priority')}
              allowDeselect={false}
              data={TASK_PRIORITIES.map((p) => ({ value: p, label: t(`tasks.priority.${p}`) }))}
              value={v.priority}
              onChange={(p) => form.setValue('priority', TASK_PRIORITIES.find((x) => x === p) ?? 'normal')}
              comboboxProps={{ withinPortal: true }}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 2 }} spacing="md">
            <TextInput
              type="date"
              label={t('tasks.fields.dueDate')}
              value={v.dueDate}
              onChange={(e) => form.setValue('dueDate', e.currentTarget.value)}
              onBlur={() => form.touch('dueDate')}
              error={form.errorOf('dueDate') ?? errorAt('dueAt')}
            />
            <TextInput
              type="time"
              label={t('tasks.fields.dueTime')}
              value={v.dueTime}
              disabled={!v.dueDate}
              onChange={(e) => form.setValue('dueTime', e.currentTarget.value)}
            />
          </SimpleGrid>
          <Text fz="xs" c="dimmed" mt={-8}>
            {t('tasks.fields.inZone', { zone: timeZone ?? 'UTC' })}
          </Text>
          {!task && (
            <Stack gap="xs">
              <Select
                label={t('tasks.fields.recurrence')}
                allowDeselect={false}
                data={RECURRENCE_PRESETS.map((r) => ({ value: r, label: t(`tasks.recurrence.${r}`) }))}
                value={v.recurrence}
                onChange={(r) => form.setValue('recurrence', RECURRENCE_PRESETS.find((x) => x === r) ?? 'none')}
                description={v.recurrence !== 'none' ? t('tasks.recurrence.help') : undefined}
                error={v.recurrence !== 'custom' ? ruleError : undefined}
                comboboxProps={{ withinPortal: true }}
              />
              {v.recurrence === 'custom' && (
                <TextInput
                  label={t('tasks.fields.rrule')}
                  description={t('tasks.recurrence.customHelp')}
                  placeholder="FREQ=WEEKLY;BYDAY=MO"
                  required
                  ff="monospace"
                  maxLength={500}
                  spellCheck={false}
                  value={v.rrule}
                  onChange={(e) => form.setValue('rrule', e.currentTarget.value)}
                  onBlur={() => form.touch('rrule')}
                  error={ruleError}
                />
              )}
            </Stack>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose} disabled={mutation.isPending}>
              {t('common.cancel')}
            </Button>
            <SubmitButton loading={mutation.isPending} disabled={conflict}>
              {task ? t('common.save') : t('tasks.create')}
            </SubmitButton>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
