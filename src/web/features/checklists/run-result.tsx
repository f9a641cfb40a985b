import {
  Accordion,
  Badge,
  Box,
  Button,
  Group,
  Image,
  Paper,
  RingProgress,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconListDetails, IconPlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ChecklistItem, Run } from '../../../shared/checklists/checklists.schemas.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { describeError } from '../../lib/problem-text.ts';
import { thumbnailUrl } from '../attachments/attachments.api.ts';
import { AttachmentsPanel } from '../attachments/attachments-panel.tsx';
import { zonedDatePlus, zonedToIso } from '../tasks/task-dates.ts';
import { useOfficeUserOptions } from '../tasks/task-ui.tsx';
import { useOfficeZones } from '../tasks/tasks.api.ts';
import { answerText } from './answer-text.ts';
import { loc } from './checklist-text.ts';
import { useCreateItemTask } from './checklists.api.ts';

/** A completed run: the score, the failed items (each can become a task in one click), every answer. */
export function RunResult({ run }: { run: Run }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const { can } = useSession();
  const zone = useOfficeZones(useMemo(() => [run.officeId], [run.officeId]))(run.officeId);
  const answers = useMemo(() => new Map(run.answers.map((a) => [a.itemId, a])), [run.answers]);
  const title = loc(run.title, run.titleFr, language);
  const score = run.score;
  const color = score === null ? 'gray' : score >= 90 ? 'teal' : score >= 70 ? 'yellow' : 'red';
  const { passed, failed, applicable, total } = run.progress;
  const naCount = run.answers.filter((a) => a.outcome === 'na').length;

  return (
    <Box maw={860} mx="auto">
      <PageHeader
        title={title}
        breadcrumbs={[{ label: t('checklists.title'), to: '/inspections' }, { label: title }]}
        badges={
          <Badge color="teal" variant="light" radius="sm" tt="none">
            {t('checklists.runStatus.completed')}
          </Badge>
        }
        description={[
          run.performedBy,
          run.completedAt && t('checklists.completedOn', { date: formatDateTime(run.completedAt, language, zone) }),
          run.location,
        ]
          .filter(Boolean)
          .join(' · ')}
      />
      <Stack gap="md">
        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="run-score">
          <Group gap="lg" wrap="wrap">
            <RingProgress
              size={132}
              thickness={12}
              roundCaps
              sections={[{ value: score ?? 0, color }]}
              label={
                <Text ta="center" fw={700} fz={26} id="run-score">
                  {score === null ? '—' : `${Math.round(score)}%`}
                </Text>
              }
              aria-label={t('checklists.scoreLabel', { score: score === null ? '—' : Math.round(score) })}
            />
            <SimpleGrid cols={{ base: 2, xs: 4 }} spacing="md" style={{ flex: 1, minWidth: 220 }}>
              <Count label={t('checklists.counts.passed')} value={passed} color="teal" />
              <Count label={t('checklists.counts.failed')} value={failed} color="red" />
              <Count label={t('checklists.counts.na')} value={naCount} />
              <Count label={t('checklists.counts.scored')} value={`${applicable}/${total}`} />
            </SimpleGrid>
          </Group>
          <Text fz="xs" c="dimmed" mt="xs">
            {t('checklists.scoreHelp')}
          </Text>
        </Paper>

        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="run-failed">
          <Title order={2} fz="md" id="run-failed" mb="sm">
            {t('checklists.failedItems', { count: run.failedItems.length })}
          </Title>
          {run.failedItems.length === 0 ? (
            <Group gap={6}>
              <IconCheck size={18} color="var(--mantine-color-teal-filled)" aria-hidden />
              <Text fz="sm">{t('checklists.noFailed')}</Text>
            </Group>
          ) : (
            <Stack gap="sm">
              {run.failedItems.map((f) => {
                const item = run.items.find((i) => i.id === f.itemId);
                return (
                  <FailedItem
                    key={f.itemId}
                    run={run}
                    itemId={f.itemId}
                    label={item ? loc(item.label, item.labelFr, language) : f.label}
                    answer={item ? answerText(item, answers.get(f.itemId), t, language) : ''}
                    note={answers.get(f.itemId)?.note ?? null}
                    taskId={f.taskId}
                    zone={zone}
                    canCreate={can('task.write')}
                  />
                );
              })}
            </Stack>
          )}
        </Paper>

        <Accordion variant="separated" radius="md">
          <Accordion.Item value="answers">
            <Accordion.Control icon={<IconListDetails size={18} aria-hidden />}>
              {t('checklists.allAnswers', { count: run.items.length })}
            </Accordion.Control>
            <Accordion.Panel>
              <Stack gap={0} component="dl" m={0}>
                {run.items.map((item) => (
                  <AnswerRow key={item.id} item={item} run={run} />
                ))}
              </Stack>
            </Accordion.Panel>
          </Accordion.Item>
          <Accordion.Item value="files">
            <Accordion.Control>{t('checklists.runFiles')}</Accordion.Control>
            <Accordion.Panel>
              <AttachmentsPanel target={{ entityType: 'checklist_run', entityId: run.id }} canWrite={false} />
            </Accordion.Panel>
          </Accordion.Item>
        </Accordion>
        <Group>
          <Button variant="default" component={Link} to="/inspections">
            {t('checklists.backToList')}
          </Button>
        </Group>
      </Stack>
    </Box>
  );
}

function Count({ label, value, color }: { label: string; value: number | string; color?: string }) {
  return (
    <Stack gap={0}>
      <Text fz={24} fw={700} c={color}>
        {value}
      </Text>
      <Text fz="xs" c="dimmed" tt="uppercase" fw={600} lts={0.3}>
        {label}
      </Text>
    </Stack>
  );
}

function AnswerRow({ item, run }: { item: ChecklistItem; run: Run }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const a = run.answers.find((x) => x.itemId === item.id);
  const color = a?.outcome === 'fail' ? 'red' : a?.outcome === 'pass' ? 'teal' : undefined;
  return (
    <Group
      justify="space-between"
      wrap="nowrap"
      gap="sm"
      py={6}
      style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
    >
      <Text component="dt" fz="sm" style={{ overflowWrap: 'anywhere' }}>
        {loc(item.label, item.labelFr, language)}
      </Text>
      <Box component="dd" m={0} style={{ flex: 'none', maxWidth: '45%' }}>
        {item.type === 'photo' && typeof a?.value === 'string' && !a.na ? (
          <Image
            src={thumbnailUrl({ id: a.value })}
            alt={t('checklists.photoOf', { label: item.label })}
            h={48}
            w={48}
            radius="sm"
          />
        ) : (
          <Text fz="sm" fw={500} c={color} ta="right" style={{ overflowWrap: 'anywhere' }}>
            {answerText(item, a, t, language)}
          </Text>
        )}
      </Box>
    </Group>
  );
}

interface FailedItemProps {
  run: Run;
  itemId: string;
  label: string;
  answer: string;
  note: string | null;
  taskId: string | null;
  zone: string | undefined;
  canCreate: boolean;
}

/** A failed item: its task, or owner + due date and one button to create it. */
function FailedItem({ run, itemId, label, answer, note, taskId, zone, canCreate }: FailedItemProps) {
  const { t } = useTranslation();
  const { me } = useSession();
  const owners = useOfficeUserOptions(run.officeId);
  const create = useCreateItemTask(run.id);
  const [owner, setOwner] = useState<string | null>(me.userId);
  const [due, setDue] = useState(() => zonedDatePlus(14, zone));
  const headingId = `failed-${itemId}`;

  const go = () =>
    create.mutate(
      {
        itemId,
        body: {
          ownerUserId: owner,
          dueAt: due ? (zonedToIso(due, '17:00', zone) ?? null) : null,
        },
      },
      {
        onSuccess: (task) => notifications.show({ color: 'teal', message: t('tasks.created', { title: task.title }) }),
        onError: (error) => notifications.show({ color: 'red', message: describeError(error, t).title }),
      },
    );

  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      component="article"
      aria-labelledby={headingId}
      style={{ borderLeft: '4px solid var(--mantine-color-red-filled)' }}
    >
      <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
        <Stack gap={2} style={{ flex: '1 1 240px', minWidth: 0 }}>
          <Text fw={600} fz="sm" id={headingId} style={{ overflowWrap: 'anywhere' }}>
            {label}
          </Text>
          <Text fz="sm" c="red">
            {t('checklists.answerWas', { answer })}
          </Text>
          {note && (
            <Text fz="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
              {note}
            </Text>
          )}
        </Stack>
        {taskId && (
          <Button
            component={Link}
            to={`/tasks/${taskId}`}
            size="xs"
            variant="light"
            color="teal"
            leftSection={<IconCheck size={14} aria-hidden />}
          >
            {t('checklists.taskCreated')}
          </Button>
        )}
      </Group>
      {!taskId && canCreate && (
        <Group gap="xs" mt="sm" align="flex-end" wrap="wrap">
          <Select
            label={t('tasks.fields.owner')}
            placeholder={t('tasks.unassigned')}
            data={owners}
            value={owner}
            onChange={setOwner}
            clearable
            searchable
            size="sm"
            style={{ flex: '1 1 180px' }}
            comboboxProps={{ withinPortal: true }}
            aria-describedby={headingId}
          />
          <TextInput
            type="date"
            label={t('tasks.fields.dueDate')}
            value={due}
            onChange={(e) => setDue(e.currentTarget.value)}
            size="sm"
            style={{ flex: '0 1 170px' }}
            aria-describedby={headingId}
          />
          <Button
            size="sm"
            leftSection={<IconPlus size={16} aria-hidden />}
            loading={create.isPending}
            onClick={go}
            aria-label={t('checklists.createTaskFor', { label })}
          >
            {t('checklists.createTask')}
          </Button>
        </Group>
      )}
      {!taskId && !canCreate && (
        <Text fz="xs" c="dimmed" mt={4}>
          {t('checklists.noTaskYet')}
        </Text>
      )}
    </Paper>
  );
}
