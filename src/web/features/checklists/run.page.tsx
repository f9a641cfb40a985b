import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Image,
  Loader,
  Menu,
  NumberInput,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconArrowRight,
  IconCheck,
  IconChevronDown,
  IconCircleCheck,
  IconInfoCircle,
  IconListCheck,
  IconMessage,
  IconRefresh,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Answer, ChecklistItem, Run } from '../../../shared/checklists/checklists.schemas.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { PageSkeleton } from '../../components/skeletons.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { describeError } from '../../lib/problem-text.ts';
import { thumbnailUrl } from '../attachments/attachments.api.ts';
import { UploadButton } from '../attachments/attachments-panel.tsx';
import { useOfficeZones } from '../tasks/tasks.api.ts';
import { rangeText } from './answer-text.ts';
import { loc } from './checklist-text.ts';
import { checklistKeys, fetchRun, saveAnswer, useCompleteRun, useRun } from './checklists.api.ts';
import { RunResult } from './run-result.tsx';

interface Section {
  key: string;
  title: string;
  items: ChecklistItem[];
}

/** Items grouped by their section, in template order (items with no section form their own group). */
function sectionsOf(items: ChecklistItem[], language: string, general: string): Section[] {
  const out: Section[] = [];
  for (const item of items) {
    const title = item.section ? loc(item.section, item.sectionFr, language) : general;
    const last = out[out.length - 1];
    if (last && last.title === title) last.items.push(item);
    else out.push({ key: `${out.length}-${title}`, title, items: [item] });
  }
  return out;
}

type AnswerValue = string | number | null;
interface LocalAnswer {
  value: AnswerValue;
  na: boolean;
  note: string | null;
}
type SaveState = { status: 'saving' } | { status: 'saved' } | { status: 'failed'; error: unknown; answer: LocalAnswer };

export function RunPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const run = useRun(id);
  if (run.isPending) return <PageSkeleton />;
  if (run.isError) {
    return (
      <>
        <PageHeader
          title={t('checklists.run')}
          breadcrumbs={[{ label: t('checklists.title'), to: '/inspections' }, { label: '…' }]}
        />
        <Paper withBorder radius="md">
          <ErrorState error={run.error} onRetry={() => void run.refetch()} retrying={run.isFetching} />
        </Paper>
      </>
    );
  }
  return run.data.status === 'completed' ? <RunResult run={run.data} /> : <Runner run={run.data} />;
}

/** The phone-first runner: one section at a time, each answer saved as it is given. */
function Runner({ run }: { run: Run }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const { can } = useSession();
  const canAnswer = can('checklist.run');
  const queryClient = useQueryClient();
  const zone = useOfficeZones(useMemo(() => [run.officeId], [run.officeId]))(run.officeId);
  const sections = useMemo(
    () => sectionsOf(run.items, language, t('checklists.generalSection')),
    [run.items, language, t],
  );
  const answers = useMemo(() => new Map(run.answers.map((a) => [a.itemId, a])), [run.answers]);
  // Start at the first section with an unanswered item.
  const [step, setStep] = useState(() => {
    const i = sections.findIndex((s) => s.items.some((item) => !answers.has(item.id)));
    return i === -1 ? sections.length : i;
  });
  const [local, setLocal] = useState<Record<string, LocalAnswer>>({});
  const [saves, setSaves] = useState<Record<string, SaveState>>({});
  // Answers go to the server one at a time, in order: each carries the version the previous one returned.
  const queue = useRef<Promise<void>>(Promise.resolve());
  const versions = useRef(new Map<string, number>());
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
    versions.current = new Map(run.answers.map((a) => [a.itemId, a.version]));
  }, [run]);
  const complete = useCompleteRun(run.id);
  const [missingShown, setMissingShown] = useState(false);
  const topRef = useRef<HTMLDivElement>(null);

  const send = useCallback(
    async (itemId: string, answer: LocalAnswer) => {
      const attempt = () => saveAnswer(run.id, itemId, { ...answer, version: versions.current.get(itemId) });
      let saved: Run;
      try {
        try {
          saved = await attempt();
        } catch (error) {
          // Changed meanwhile (another tab, a retry that did arrive): read the run again and resend once.
          if (!isApiError(error) || !error.isConflict) throw error;
          const fresh = await fetchRun(run.id);
          versions.current = new Map(fresh.answers.map((a) => [a.itemId, a.version]));
          saved = await attempt();
        }
        versions.current = new Map(saved.answers.map((a) => [a.itemId, a.version]));
        latest.current = saved;
        queryClient.setQueryData(checklistKeys.run(run.id), saved);
        setSaves((s) => ({ ...s, [itemId]: { status: 'saved' } }));
      } catch (error) {
        setSaves((s) => ({ ...s, [itemId]: { status: 'failed', error, answer } }));
      }
    },
    [run.id, queryClient],
  );

  const answer = useCallback(
    (itemId: string, next: LocalAnswer) => {
      setLocal((l) => ({ ...l, [itemId]: next }));
      setSaves((s) => ({ ...s, [itemId]: { status: 'saving' } }));
      queue.current = queue.current.then(() => send(itemId, next));
    },
    [send],
  );

  const goto = (i: number) => {
    setStep(i);
    setMissingShown(false);
    requestAnimationFrame(() => {
      topRef.current?.scrollIntoView({ block: 'start' });
      topRef.current?.focus({ preventScroll: true });
    });
  };

  const finish = async () => {
    await queue.current;
    complete.mutate(latest.current.version, {
      onError: async (error) => {
        if (isApiError(error) && error.isConflict) {
          const fresh = await fetchRun(run.id);
          queryClient.setQueryData(checklistKeys.run(run.id), fresh);
          complete.mutate(fresh.version);
          return;
        }
        if (isApiError(error) && error.status === 422) {
          await queryClient.invalidateQueries({ queryKey: checklistKeys.run(run.id) });
          setMissingShown(true);
        }
      },
    });
  };

  const failedSaves = Object.entries(saves).filter(([, s]) => s.status === 'failed');
  const savingCount = Object.values(saves).filter((s) => s.status === 'saving').length;
  const { answered, total } = run.progress;
  const percent = total === 0 ? 0 : Math.round((answered / total) * 100);
  const reviewing = step >= sections.length;
  const section = sections[Math.min(step, sections.length - 1)];
  const itemLabel = (id: string) => {
    const item = run.items.find((i) => i.id === id);
    return item ? loc(item.label, item.labelFr, language) : id;
  };
  const sectionOfItem = (id: string) => sections.findIndex((s) => s.items.some((i) => i.id === id));

  return (
    <Box maw={720} mx="auto">
      <PageHeader
        title={loc(run.title, run.titleFr, language)}
        breadcrumbs={[
          { label: t('checklists.title'), to: '/inspections' },
          { label: loc(run.title, run.titleFr, language) },
        ]}
        description={[run.performedBy, formatDateTime(run.startedAt, language, zone), run.location]
          .filter(Boolean)
          .join(' · ')}
      />
      <Paper withBorder radius="md" p="sm" mb="md">
        <Group justify="space-between" gap="xs" mb={6} wrap="nowrap">
          <Text fz="sm" fw={600} aria-live="polite">
            {t('checklists.progress', { answered, total })}
          </Text>
          <Text fz="xs" c={failedSaves.length ? 'red' : 'dimmed'} aria-live="polite">
            {savingCount > 0
              ? t('checklists.save.saving')
              : failedSaves.length > 0
                ? t('checklists.save.someFailed', { count: failedSaves.length })
                : t('checklists.save.allSaved')}
          </Text>
        </Group>
        <Progress value={percent} size="lg" radius="xl" aria-label={t('checklists.progressLabel')} />
      </Paper>

      <div ref={topRef} tabIndex={-1} style={{ outline: 'none', scrollMarginTop: 64 }}>
        <Group justify="space-between" mb="sm" wrap="nowrap" gap="xs">
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Text fz="xs" c="dimmed" tt="uppercase" fw={600} lts={0.3}>
              {reviewing
                ? t('checklists.reviewStep')
                : t('checklists.sectionOf', { n: step + 1, total: sections.length })}
            </Text>
            <Title order={2} fz="lg">
              {reviewing ? t('checklists.review') : section?.title}
            </Title>
          </Stack>
          <Menu position="bottom-end" shadow="md">
            <Menu.Target>
              <Button variant="default" size="sm" rightSection={<IconChevronDown size={14} aria-hidden />}>
                {t('checklists.sections')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {sections.map((s, i) => {
                const done = s.items.filter((item) => answers.has(item.id)).length;
                return (
                  <Menu.Item
                    key={s.key}
                    onClick={() => goto(i)}
                    rightSection={
                      <Text fz="xs" c={done === s.items.length ? 'teal' : 'dimmed'}>
                        {done}/{s.items.length}
                      </Text>
                    }
                  >
                    {s.title}
                  </Menu.Item>
                );
              })}
              <Menu.Divider />
              <Menu.Item leftSection={<IconListCheck size={14} aria-hidden />} onClick={() => goto(sections.length)}>
                {t('checklists.review')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </div>

      {reviewing ? (
        <Stack gap="md" mb={96}>
          {failedSaves.length > 0 && (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlertTriangle size={18} aria-hidden />}
              title={t('checklists.save.failedTitle')}
            >
              <Stack gap="xs" align="flex-start">
                {failedSaves.map(([itemId]) => (
                  <Anchor
                    key={itemId}
                    component="button"
                    type="button"
                    fz="sm"
                    onClick={() => goto(sectionOfItem(itemId))}
                  >
                    {itemLabel(itemId)}
                  </Anchor>
                ))}
              </Stack>
            </Alert>
          )}
          {run.missingRequired.length > 0 ? (
            <Alert
              color={missingShown ? 'red' : 'orange'}
              variant="light"
              role={missingShown ? 'alert' : undefined}
              icon={<IconAlertTriangle size={18} aria-hidden />}
              title={t('checklists.missingTitle', { count: run.missingRequired.length })}
            >
              <Stack gap={4} align="flex-start">
                {run.missingRequired.map((itemId) => (
                  <Anchor
                    key={itemId}
                    component="button"
                    type="button"
                    fz="sm"
                    onClick={() => goto(sectionOfItem(itemId))}
                  >
                    {itemLabel(itemId)}
                  </Anchor>
                ))}
              </Stack>
            </Alert>
          ) : (
            <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} aria-hidden />}>
              {t('checklists.readyToComplete', { answered, total })}
            </Alert>
          )}
          {complete.error && !(isApiError(complete.error) && complete.error.status === 422) && (
            <ProblemAlert error={complete.error} />
          )}
          {canAnswer && (
            <Button
              size="lg"
              color="teal"
              fullWidth
              leftSection={<IconCheck size={20} aria-hidden />}
              loading={complete.isPending}
              onClick={() => void finish()}
            >
              {t('checklists.complete')}
            </Button>
          )}
        </Stack>
      ) : (
        section && (
          <Stack gap="sm" mb={96}>
            {section.items.map((item) => (
              <ItemCard
                key={item.id}
                runId={run.id}
                item={item}
                server={answers.get(item.id)}
                local={local[item.id]}
                save={saves[item.id]}
                disabled={!canAnswer}
                onAnswer={(a) => answer(item.id, a)}
              />
            ))}
          </Stack>
        )
      )}

      <Paper
        withBorder
        shadow="md"
        p="xs"
        radius={0}
        style={{ position: 'sticky', bottom: 0, zIndex: 5, marginInline: 'calc(var(--mantine-spacing-sm) * -1)' }}
        component="nav"
        aria-label={t('checklists.stepNav')}
      >
        <SimpleGrid cols={2} spacing="xs">
          <Button
            size="lg"
            variant="default"
            leftSection={<IconArrowLeft size={18} aria-hidden />}
            disabled={step === 0}
            onClick={() => goto(step - 1)}
          >
            {t('checklists.previous')}
          </Button>
          {reviewing ? (
            <Button size="lg" variant="default" component={Link} to="/inspections">
              {t('checklists.later')}
            </Button>
          ) : (
            <Button size="lg" rightSection={<IconArrowRight size={18} aria-hidden />} onClick={() => goto(step + 1)}>
              {step === sections.length - 1 ? t('checklists.toReview') : t('checklists.next')}
            </Button>
          )}
        </SimpleGrid>
      </Paper>
    </Box>
  );
}

interface ItemCardProps {
  runId: string;
  item: ChecklistItem;
  server: Answer | undefined;
  local: LocalAnswer | undefined;
  save: SaveState | undefined;
  disabled: boolean;
  onAnswer: (a: LocalAnswer) => void;
}

function ItemCard({ runId, item, server, local, save, disabled, onAnswer }: ItemCardProps) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const current: LocalAnswer | undefined =
    local ?? (server ? { value: server.value, na: server.na, note: server.note } : undefined);
  const [noteOpen, setNoteOpen] = useState(Boolean(current?.note));
  const label = loc(item.label, item.labelFr, language);
  const guidance = item.guidance ? loc(item.guidance, item.guidanceFr, language) : undefined;
  const outcome = save?.status === 'saving' ? undefined : server?.outcome;
  const headingId = `item-${item.id}`;
  const note = current?.note ?? null;
  const give = (value: AnswerValue, na = false) => onAnswer({ value, na, note });
  const isNa = Boolean(current?.na) || current?.value === 'na';

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-labelledby={headingId}
      style={{
        borderLeft: `4px solid ${
          outcome === 'fail'
            ? 'var(--mantine-color-red-filled)'
            : outcome === 'pass'
              ? 'var(--mantine-color-teal-filled)'
              : current
                ? 'var(--mantine-color-gray-5)'
                : 'var(--mantine-color-default-border)'
        }`,
      }}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
          <Text id={headingId} fw={600} fz="md" style={{ overflowWrap: 'anywhere' }}>
            {label}
            {item.required && (
              <>
                <Text component="span" c="red" aria-hidden>
                  {' *'}
                </Text>
                <VisuallyHidden>{t('checklists.requiredItem')}</VisuallyHidden>
              </>
            )}
          </Text>
          {outcome === 'fail' && (
            <Badge color="red" variant="filled" radius="sm" tt="none" style={{ flex: 'none' }}>
              {t('checklists.outcome.fail')}
            </Badge>
          )}
          {outcome === 'pass' && (
            <Badge color="teal" variant="light" radius="sm" tt="none" style={{ flex: 'none' }}>
              {t('checklists.outcome.pass')}
            </Badge>
          )}
        </Group>
        {guidance && (
          <Group gap={6} wrap="nowrap" align="flex-start">
            <IconInfoCircle size={16} aria-hidden style={{ flex: 'none', marginTop: 2 }} />
            <Text fz="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
              {guidance}
            </Text>
          </Group>
        )}

        {item.type === 'yes_no_na' && (
          <SimpleGrid cols={3} spacing="xs" role="group" aria-labelledby={headingId}>
            {(['yes', 'no', 'na'] as const).map((v) => {
              const on = current?.value === v || (v === 'na' && isNa);
              const color = v === 'yes' ? 'teal' : v === 'no' ? 'red' : 'gray';
              return (
                <Button
                  key={v}
                  size="lg"
                  h={56}
                  variant={on ? 'filled' : 'default'}
                  color={on ? color : undefined}
                  aria-pressed={on}
                  disabled={disabled}
                  onClick={() => give(v)}
                >
                  {t(`checklists.answers.${v}`)}
                </Button>
              );
            })}
          </SimpleGrid>
        )}

        {item.type === 'number' && (
          <NumberField
            item={item}
            value={current?.na ? null : current?.value}
            disabled={disabled}
            onSave={(n) => give(n)}
          />
        )}

        {item.type === 'text' && (
          <TextField
            label={label}
            value={current?.na ? '' : typeof current?.value === 'string' ? current.value : ''}
            disabled={disabled}
            onSave={(s) => give(s.trim() === '' ? null : s)}
          />
        )}

        {item.type === 'choice' && (
          <Stack gap="xs" role="group" aria-labelledby={headingId}>
            {item.options.map((o) => {
              const on = !current?.na && current?.value === o.value;
              return (
                <Button
                  key={o.value}
                  size="lg"
                  h={52}
                  fullWidth
                  justify="flex-start"
                  variant={on ? 'filled' : 'default'}
                  color={on ? (o.failing ? 'red' : 'teal') : undefined}
                  aria-pressed={on}
                  disabled={disabled}
                  onClick={() => give(o.value)}
                  leftSection={on ? <IconCheck size={18} aria-hidden /> : undefined}
                >
                  {loc(o.label, o.labelFr, language)}
                </Button>
              );
            })}
          </Stack>
        )}

        {item.type === 'photo' && (
          <Stack gap="xs">
            {typeof current?.value === 'string' && !current.na && (
              <Image
                src={thumbnailUrl({ id: current.value })}
                alt={t('checklists.photoOf', { label })}
                radius="md"
                h={180}
                w="auto"
                fit="contain"
                style={{ alignSelf: 'flex-start' }}
              />
            )}
            {!disabled && (
              <SimpleGrid cols={2} spacing="xs">
                <UploadButton
                  target={{ entityType: 'checklist_run', entityId: runId }}
                  label={t('checklists.takePhoto')}
                  accept="image/*"
                  capture
                  size="lg"
                  fullWidth
                  onUploaded={(a) => give(a.id)}
                />
                <UploadButton
                  target={{ entityType: 'checklist_run', entityId: runId }}
                  label={t('checklists.chooseFile')}
                  accept="image/*"
                  size="lg"
                  fullWidth
                  onUploaded={(a) => give(a.id)}
                />
              </SimpleGrid>
            )}
          </Stack>
        )}

        {item.type !== 'yes_no_na' && !disabled && (
          <Button
            variant={isNa ? 'filled' : 'light'}
            color="gray"
            size="sm"
            aria-pressed={isNa}
            onClick={() => (isNa ? give(null) : give(null, true))}
            style={{ alignSelf: 'flex-start' }}
          >
            {t('checklists.answers.na')}
          </Button>
        )}

        {noteOpen ? (
          <TextField
            label={t('checklists.note')}
            value={note ?? ''}
            disabled={disabled || !current}
            onSave={(s) => current && onAnswer({ ...current, note: s.trim() === '' ? null : s })}
            visibleLabel
          />
        ) : (
          current &&
          !disabled && (
            <Button
              variant="subtle"
              size="compact-sm"
              leftSection={<IconMessage size={14} aria-hidden />}
              onClick={() => setNoteOpen(true)}
              style={{ alignSelf: 'flex-start' }}
            >
              {t('checklists.addNote')}
            </Button>
          )
        )}

        <SaveStatus save={save} onRetry={() => save?.status === 'failed' && onAnswer(save.answer)} />
      </Stack>
    </Paper>
  );
}

function SaveStatus({ save, onRetry }: { save: SaveState | undefined; onRetry: () => void }) {
  const { t } = useTranslation();
  if (!save) return null;
  if (save.status === 'saving') {
    return (
      <Group gap={6} aria-live="polite">
        <Loader size={14} />
        <Text fz="xs" c="dimmed">
          {t('checklists.save.saving')}
        </Text>
      </Group>
    );
  }
  if (save.status === 'saved') {
    return (
      <Group gap={4} aria-live="polite">
        <IconCheck size={14} color="var(--mantine-color-teal-filled)" aria-hidden />
        <Text fz="xs" c="teal">
          {t('checklists.save.saved')}
        </Text>
      </Group>
    );
  }
  const { title, detail } = describeError(save.error, t);
  return (
    <Alert color="red" variant="light" p="xs" role="alert" icon={<IconAlertTriangle size={16} aria-hidden />}>
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text fz="sm">
          {t('checklists.save.failed')} {detail ?? title}
        </Text>
        <Button
          size="xs"
          color="red"
          variant="light"
          leftSection={<IconRefresh size={14} aria-hidden />}
          onClick={onRetry}
        >
          {t('common.retry')}
        </Button>
      </Group>
    </Alert>
  );
}

function NumberField({
  item,
  value,
  disabled,
  onSave,
}: {
  item: ChecklistItem;
  value: AnswerValue | undefined;
  disabled: boolean;
  onSave: (n: number | null) => void;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [draft, setDraft] = useState<number | string>(typeof value === 'number' ? value : '');
  useEffect(() => setDraft(typeof value === 'number' ? value : ''), [value]);
  const range = rangeText(item, t, language);
  const commit = () => {
    const n = draft === '' ? null : typeof draft === 'number' ? draft : Number(draft);
    if (n !== null && Number.isNaN(n)) return;
    if (n === (typeof value === 'number' ? value : null)) return;
    onSave(n);
  };
  return (
    <NumberInput
      label={t('checklists.value')}
      description={range ? t('checklists.expected', { range }) : undefined}
      size="lg"
      styles={{
        label: { fontSize: 'var(--mantine-font-size-sm)' },
        description: { fontSize: 'var(--mantine-font-size-sm)' },
      }}
      inputMode="decimal"
      decimalSeparator={language === 'fr' ? ',' : '.'}
      rightSection={
        item.unit ? (
          <Text fz="sm" c="dimmed" pr="sm">
            {item.unit}
          </Text>
        ) : undefined
      }
      rightSectionWidth={item.unit ? Math.max(48, item.unit.length * 10 + 24) : undefined}
      hideControls
      disabled={disabled}
      value={draft}
      onChange={setDraft}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        }
      }}
    />
  );
}

function TextField({
  label,
  value,
  disabled,
  onSave,
  visibleLabel = false,
}: {
  label: string;
  value: string;
  disabled: boolean;
  onSave: (s: string) => void;
  visibleLabel?: boolean;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <Textarea
      label={visibleLabel ? label : t('checklists.answerLabel')}
      aria-label={visibleLabel ? undefined : label}
      autosize
      minRows={2}
      maxRows={8}
      maxLength={5000}
      size="md"
      disabled={disabled}
      value={draft}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={() => draft !== value && onSave(draft)}
    />
  );
}
