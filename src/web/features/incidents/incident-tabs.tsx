import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
  Typography,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconClockHour4,
  IconDownload,
  IconFileTypeDocx,
  IconFileTypePdf,
  IconListCheck,
  IconPlus,
  IconShare,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Markdown from 'react-markdown';
import { Link } from 'react-router';
import {
  COMMUNICATION_CHANNELS as COMM_CHANNELS,
  type Communication,
  EVIDENCE_KINDS,
  type Evidence,
  type Link as IncidentLink,
  TIMELINE_SOURCES,
  type TimelineEntry,
} from '../../../shared/incidents/investigation.schemas.ts';
import { listOfficeTasks } from '../../../shared/tasks/tasks.contract.ts';
import { useSession } from '../../app/session.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { ApiError, call, isApiError } from '../../lib/api-client.ts';
import { formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { StatusBadge } from '../tasks/task-ui.tsx';
import { fromLocalInput, toLocalInput } from './incident-ui.tsx';
import {
  downloadExport,
  fetchAdvisory,
  type Incident,
  type IncidentSummary,
  incidentLinks,
  request,
  useAddCustody,
  useCustody,
  useIncidentPart,
  usePartMutation,
} from './incidents.api.ts';

const enc = encodeURIComponent;

/** A tab whose API is not in the server yet (404 on the list) shows a quiet note, not a broken screen. */
function PartState({ error, onRetry, children }: { error: unknown; onRetry: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.status === 404) {
    return <EmptyState title={t('incidents.tabs.unavailable')} description={t('incidents.tabs.unavailableText')} />;
  }
  if (error) return <ErrorState error={error} onRetry={onRetry} />;
  return <>{children}</>;
}

function now(): string {
  return toLocalInput(new Date().toISOString());
}

export function TimelineTab({ incident, canWrite }: { incident: Incident; canWrite: boolean }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const list = useIncidentPart<TimelineEntry>(incident.id, 'timeline');
  const add = usePartMutation(incident.id, 'timeline');
  const [when, setWhen] = useState(now);
  const [description, setDescription] = useState('');
  const [source, setSource] = useState<TimelineEntry['source']>('officer');
  const [approximate, setApproximate] = useState(false);
  const entries = [...(list.data ?? [])].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));

  return (
    <PartState error={list.error} onRetry={() => void list.refetch()}>
      <Stack gap="md">
        {canWrite && (
          <Paper withBorder radius="md" p="sm">
            <form
              onSubmit={(e) => {
                e.preventDefault();
                add.mutate(
                  {
                    method: 'POST',
                    path: `/api/v1/incidents/${enc(incident.id)}/timeline`,
                    body: {
                      occurredAt: fromLocalInput(when),
                      precision: approximate ? 'approximate' : 'exact',
                      description: description.trim(),
                      source,
                    },
                  },
                  {
                    onSuccess: () => {
                      setDescription('');
                      setWhen(now());
                    },
                  },
                );
              }}
            >
              <Stack gap="xs">
                <Title order={3} fz="sm">
                  {t('incidents.timeline.add')}
                </Title>
                <ProblemAlert error={add.error} />
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <TextInput
                    type="datetime-local"
                    label={t('incidents.timeline.when')}
                    value={when}
                    onChange={(e) => setWhen(e.currentTarget.value)}
                    required
                  />
                  <Select
                    label={t('incidents.timeline.source')}
                    data={TIMELINE_SOURCES.map((s) => ({ value: s, label: t(`incidents.timeline.sources.${s}`) }))}
                    value={source}
                    onChange={(v) => v && setSource(v as TimelineEntry['source'])}
                    allowDeselect={false}
                    comboboxProps={{ withinPortal: true }}
                  />
                  <Checkbox
                    mt={{ sm: 28 }}
                    label={t('incidents.timeline.approximate')}
                    checked={approximate}
                    onChange={(e) => setApproximate(e.currentTarget.checked)}
                  />
                </SimpleGrid>
                <Textarea
                  label={t('incidents.timeline.description')}
                  value={description}
                  onChange={(e) => setDescription(e.currentTarget.value)}
                  required
                  autosize
                  minRows={2}
                  maxLength={4000}
                />
                <Group justify="flex-end">
                  <SubmitButton loading={add.isPending} leftSection={<IconPlus size={16} aria-hidden />}>
                    {t('incidents.timeline.addButton')}
                  </SubmitButton>
                </Group>
              </Stack>
            </form>
          </Paper>
        )}
        {entries.length === 0 && !list.isPending ? (
          <EmptyState icon={<IconClockHour4 size={28} aria-hidden />} title={t('incidents.timeline.empty')} />
        ) : (
          <Timeline bulletSize={18} lineWidth={2} aria-label={t('incidents.tabs.timeline')}>
            {entries.map((e) => (
              <Timeline.Item
                key={e.id}
                title={
                  <Group gap="xs">
                    <Text fz="sm" fw={600}>
                      {e.precision === 'approximate' ? '≈ ' : ''}
                      {formatDateTime(e.occurredAt, language)}
                    </Text>
                    <Badge variant="light" color="gray" radius="sm" tt="none">
                      {t(`incidents.timeline.sources.${e.source}`)}
                    </Badge>
                  </Group>
                }
              >
                <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {e.description}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Stack>
    </PartState>
  );
}

export function EvidenceTab({ incident, canWrite }: { incident: Incident; canWrite: boolean }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const list = useIncidentPart<Evidence>(incident.id, 'evidence');
  const add = usePartMutation(incident.id, 'evidence');
  const [label, setLabel] = useState('');
  const [kind, setKind] = useState<string>('digital');
  const [acquiredAt, setAcquiredAt] = useState(now);
  const [method, setMethod] = useState('');
  const [storage, setStorage] = useState('');
  const [sha256, setSha256] = useState('');
  const [description, setDescription] = useState('');
  const shaInvalid = sha256.trim() !== '' && !/^[0-9a-fA-F]{64}$/.test(sha256.trim());

  return (
    <PartState error={list.error} onRetry={() => void list.refetch()}>
      <Stack gap="md">
        {canWrite && (
          <Paper withBorder radius="md" p="sm">
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (shaInvalid) return;
                add.mutate(
                  {
                    method: 'POST',
                    path: `/api/v1/incidents/${enc(incident.id)}/evidence`,
                    body: {
                      label: label.trim(),
                      kind,
                      description: description.trim() || null,
                      acquiredAt: fromLocalInput(acquiredAt),
                      acquisitionMethod: method.trim() || null,
                      storageLocation: storage.trim() || null,
                      sha256: sha256.trim().toLowerCase() || null,
                    },
                  },
                  {
                    onSuccess: () => {
                      setLabel('');
                      setMethod('');
                      setStorage('');
                      setSha256('');
                      setDescription('');
                      notifications.show({ color: 'teal', message: t('incidents.evidence.added') });
                    },
                  },
                );
              }}
            >
              <Stack gap="xs">
                <Title order={3} fz="sm">
                  {t('incidents.evidence.add')}
                </Title>
                <ProblemAlert error={add.error} />
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <TextInput
                    label={t('incidents.evidence.label')}
                    value={label}
                    onChange={(e) => setLabel(e.currentTarget.value)}
                    required
                    maxLength={200}
                  />
                  <Select
                    label={t('incidents.evidence.kind')}
                    data={EVIDENCE_KINDS.map((k) => ({ value: k, label: t(`incidents.evidence.kinds.${k}`) }))}
                    value={kind}
                    onChange={(v) => v && setKind(v)}
                    allowDeselect={false}
                    comboboxProps={{ withinPortal: true }}
                  />
                  <TextInput
                    type="datetime-local"
                    label={t('incidents.evidence.acquiredAt')}
                    value={acquiredAt}
                    onChange={(e) => setAcquiredAt(e.currentTarget.value)}
                    required
                  />
                  <TextInput
                    label={t('incidents.evidence.method')}
                    value={method}
                    onChange={(e) => setMethod(e.currentTarget.value)}
                    maxLength={500}
                  />
                  <TextInput
                    label={t('incidents.evidence.storage')}
                    value={storage}
                    onChange={(e) => setStorage(e.currentTarget.value)}
                    maxLength={500}
                  />
                  <TextInput
                    label={t('incidents.evidence.sha256')}
                    value={sha256}
                    onChange={(e) => setSha256(e.currentTarget.value)}
                    ff="monospace"
                    maxLength={64}
                    error={shaInvalid ? t('incidents.evidence.shaInvalid') : undefined}
                  />
                </SimpleGrid>
                <Textarea
                  label={t('incidents.evidence.description')}
                  value={description}
                  onChange={(e) => setDescription(e.currentTarget.value)}
                  autosize
                  minRows={2}
                  maxLength={4000}
                />
                <Group justify="flex-end">
                  <SubmitButton loading={add.isPending} leftSection={<IconPlus size={16} aria-hidden />}>
                    {t('incidents.evidence.addButton')}
                  </SubmitButton>
                </Group>
              </Stack>
            </form>
          </Paper>
        )}
        {(list.data ?? []).length === 0 && !list.isPending ? (
          <EmptyState title={t('incidents.evidence.empty')} />
        ) : (
          <Stack
            gap="sm"
            component="ul"
            p={0}
            m={0}
            style={{ listStyle: 'none' }}
            aria-label={t('incidents.tabs.evidence')}
          >
            {(list.data ?? []).map((ev) => (
              <Paper component="li" key={ev.id} withBorder radius="md" p="sm">
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <Text fw={600}>{ev.label}</Text>
                  <Badge variant="light" radius="sm" tt="none">
                    {t(`incidents.evidence.kinds.${ev.kind}`)}
                  </Badge>
                </Group>
                <Text fz="sm" c="dimmed">
                  {t('incidents.evidence.acquiredLine', {
                    at: formatDateTime(ev.acquiredAt, language),
                    by: ev.acquiredByName ?? '—',
                  })}
                </Text>
                {ev.acquisitionMethod && <Text fz="sm">{ev.acquisitionMethod}</Text>}
                {ev.currentCustodian && (
                  <Text fz="sm">{t('incidents.evidence.custodian', { name: ev.currentCustodian })}</Text>
                )}
                {ev.sha256 && (
                  <Text fz="xs" mt={4} style={{ wordBreak: 'break-all' }}>
                    SHA-256: <Code>{ev.sha256}</Code>{' '}
                    <Badge
                      size="xs"
                      radius="sm"
                      tt="none"
                      variant="light"
                      color={ev.integrity?.status === 'mismatch' || ev.integrity?.status === 'missing' ? 'red' : 'gray'}
                    >
                      {t(`incidents.evidence.integrity.${ev.integrity?.status ?? 'none'}`)}
                    </Badge>
                  </Text>
                )}
                <CustodyLog evidenceId={ev.id} canWrite={canWrite} />
              </Paper>
            ))}
          </Stack>
        )}
      </Stack>
    </PartState>
  );
}

/** The hand-overs of one item of evidence: append-only, who to whom, when and why. */
function CustodyLog({ evidenceId, canWrite }: { evidenceId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [open, setOpen] = useState(false);
  const log = useCustody(evidenceId, open);
  const add = useAddCustody(evidenceId);
  const [to, setTo] = useState('');
  const [purpose, setPurpose] = useState('');
  const [at, setAt] = useState(now);
  return (
    <Stack gap="xs" mt="xs">
      <Anchor component="button" type="button" fz="sm" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        {open ? t('incidents.custody.hide') : t('incidents.custody.show')}
      </Anchor>
      {open && (
        <>
          {log.error ? (
            <ErrorState error={log.error} onRetry={() => void log.refetch()} />
          ) : (log.data?.items ?? []).length === 0 ? (
            <Text fz="sm" c="dimmed">
              {t('incidents.custody.empty')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={520}>
              <Table fz="sm" aria-label={t('incidents.custody.title')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>#</Table.Th>
                    <Table.Th>{t('incidents.custody.at')}</Table.Th>
                    <Table.Th>{t('incidents.custody.from')}</Table.Th>
                    <Table.Th>{t('incidents.custody.to')}</Table.Th>
                    <Table.Th>{t('incidents.custody.purpose')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(log.data?.items ?? []).map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>{c.seq}</Table.Td>
                      <Table.Td>{formatDateTime(c.at, language)}</Table.Td>
                      <Table.Td>{c.from ?? '—'}</Table.Td>
                      <Table.Td>{c.to}</Table.Td>
                      <Table.Td>{c.purpose}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {log.data && (
            <Text fz="xs" c={log.data.chainIntact ? 'teal' : 'red'} fw={600}>
              {log.data.chainIntact ? t('incidents.custody.intact') : t('incidents.custody.broken')}
            </Text>
          )}
          {canWrite && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                add.mutate(
                  { to: to.trim(), purpose: purpose.trim(), at: fromLocalInput(at) },
                  {
                    onSuccess: () => {
                      setTo('');
                      setPurpose('');
                    },
                  },
                );
              }}
            >
              <ProblemAlert error={add.error} />
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
                <TextInput
                  size="xs"
                  label={t('incidents.custody.to')}
                  value={to}
                  onChange={(e) => setTo(e.currentTarget.value)}
                  required
                />
                <TextInput
                  size="xs"
                  label={t('incidents.custody.purpose')}
                  value={purpose}
                  onChange={(e) => setPurpose(e.currentTarget.value)}
                  required
                />
                <TextInput
                  size="xs"
                  type="datetime-local"
                  label={t('incidents.custody.at')}
                  value={at}
                  onChange={(e) => setAt(e.currentTarget.value)}
                />
              </SimpleGrid>
              <Group justify="flex-end" mt="xs">
                <SubmitButton size="xs" loading={add.isPending}>
                  {t('incidents.custody.add')}
                </SubmitButton>
              </Group>
            </form>
          )}
        </>
      )}
    </Stack>
  );
}

export function CommunicationsTab({ incident, canWrite }: { incident: Incident; canWrite: boolean }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const list = useIncidentPart<Communication>(incident.id, 'communications');
  const add = usePartMutation(incident.id, 'communications');
  const [recipient, setRecipient] = useState('');
  const [channel, setChannel] = useState<string>('phone');
  const [summary, setSummary] = useState('');
  const [at, setAt] = useState(now);
  const [acknowledged, setAcknowledged] = useState(false);
  return (
    <PartState error={list.error} onRetry={() => void list.refetch()}>
      <Stack gap="md">
        {canWrite && (
          <Paper withBorder radius="md" p="sm">
            <form
              onSubmit={(e) => {
                e.preventDefault();
                add.mutate(
                  {
                    method: 'POST',
                    path: `/api/v1/incidents/${enc(incident.id)}/communications`,
                    body: {
                      recipient: recipient.trim(),
                      channel,
                      summary: summary.trim(),
                      communicatedAt: fromLocalInput(at),
                      acknowledged,
                    },
                  },
                  {
                    onSuccess: () => {
                      setRecipient('');
                      setSummary('');
                      setAcknowledged(false);
                    },
                  },
                );
              }}
            >
              <Stack gap="xs">
                <Title order={3} fz="sm">
                  {t('incidents.comms.add')}
                </Title>
                <ProblemAlert error={add.error} />
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <TextInput
                    label={t('incidents.comms.recipient')}
                    value={recipient}
                    onChange={(e) => setRecipient(e.currentTarget.value)}
                    required
                    maxLength={200}
                  />
                  <Select
                    label={t('incidents.comms.channel')}
                    data={COMM_CHANNELS.map((c) => ({ value: c, label: t(`incidents.comms.channels.${c}`) }))}
                    value={channel}
                    onChange={(v) => v && setChannel(v)}
                    allowDeselect={false}
                    comboboxProps={{ withinPortal: true }}
                  />
                  <TextInput
                    type="datetime-local"
                    label={t('incidents.comms.at')}
                    value={at}
                    onChange={(e) => setAt(e.currentTarget.value)}
                  />
                </SimpleGrid>
                <Textarea
                  label={t('incidents.comms.summary')}
                  value={summary}
                  onChange={(e) => setSummary(e.currentTarget.value)}
                  required
                  autosize
                  minRows={2}
                  maxLength={4000}
                />
                <Checkbox
                  label={t('incidents.comms.acknowledged')}
                  checked={acknowledged}
                  onChange={(e) => setAcknowledged(e.currentTarget.checked)}
                />
                <Group justify="flex-end">
                  <SubmitButton loading={add.isPending}>{t('incidents.comms.addButton')}</SubmitButton>
                </Group>
              </Stack>
            </form>
          </Paper>
        )}
        {(list.data ?? []).length === 0 && !list.isPending ? (
          <EmptyState title={t('incidents.comms.empty')} />
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table aria-label={t('incidents.tabs.communications')} fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('incidents.comms.at')}</Table.Th>
                  <Table.Th>{t('incidents.comms.recipient')}</Table.Th>
                  <Table.Th>{t('incidents.comms.channel')}</Table.Th>
                  <Table.Th>{t('incidents.comms.summary')}</Table.Th>
                  <Table.Th>{t('incidents.comms.acknowledged')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(list.data ?? []).map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(c.communicatedAt, language)}</Table.Td>
                    <Table.Td>{c.recipient}</Table.Td>
                    <Table.Td>{t(`incidents.comms.channels.${c.channel}`)}</Table.Td>
                    <Table.Td>{c.summary}</Table.Td>
                    <Table.Td>
                      <AckCell incidentId={incident.id} comm={c} canWrite={canWrite} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <LinksSection incident={incident} canWrite={canWrite} />
      </Stack>
    </PartState>
  );
}

function AckCell({ incidentId, comm, canWrite }: { incidentId: string; comm: Communication; canWrite: boolean }) {
  const { t } = useTranslation();
  const patch = usePartMutation(incidentId, 'communications');
  if (comm.acknowledged) {
    return (
      <Badge color="teal" variant="light" radius="sm" tt="none">
        {t('incidents.comms.yes')}
      </Badge>
    );
  }
  if (!canWrite) return <Text fz="sm">{t('incidents.comms.no')}</Text>;
  return (
    <Button
      size="compact-xs"
      variant="default"
      loading={patch.isPending}
      onClick={() =>
        patch.mutate({
          method: 'PATCH',
          path: `/api/v1/incident-communications/${enc(comm.id)}`,
          body: { acknowledged: true, version: comm.version },
        })
      }
    >
      {t('incidents.comms.markAcknowledged')}
    </Button>
  );
}

/** Related incidents (and later risks, assets): one link shape, any target type. */
function LinksSection({ incident, canWrite }: { incident: Incident; canWrite: boolean }) {
  const { t } = useTranslation();
  const list = useIncidentPart<IncidentLink>(incident.id, 'links');
  const add = usePartMutation(incident.id, 'links');
  const [reference, setReference] = useState('');
  if (list.error) return null;
  return (
    <Stack gap="xs" component="section" aria-labelledby="incident-links-heading">
      <Title order={3} fz="md" id="incident-links-heading">
        {t('incidents.links.title')}
      </Title>
      {(list.data ?? []).length === 0 ? (
        <Text fz="sm" c="dimmed">
          {t('incidents.links.empty')}
        </Text>
      ) : (
        <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {(list.data ?? []).map((l) => (
            <Text component="li" fz="sm" key={l.id}>
              {t(`incidents.links.relations.${l.relation}`)}
              {': '}
              {l.other.entityType === 'incident' ? (
                <Anchor component={Link} to={`/incidents/${enc(l.other.entityId)}`} fz="sm">
                  {l.other.title}
                </Anchor>
              ) : (
                `${l.other.entityType} · ${l.other.title}`
              )}
            </Text>
          ))}
        </Stack>
      )}
      {canWrite && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void (async () => {
              // The officer types a reference; the link needs the incident's id.
              const ref = reference.trim();
              const found = await request<{ items: IncidentSummary[] }>('GET', '/api/v1/incidents', {
                query: { q: ref, limit: 5 },
              }).catch(() => ({ items: [] as IncidentSummary[] }));
              const target = found.items.find((i) => i.reference.toLowerCase() === ref.toLowerCase());
              add.mutate(
                {
                  method: 'POST',
                  path: `/api/v1/incidents/${enc(incident.id)}/links`,
                  body: { targetType: 'incident', targetId: target?.id ?? ref, relation: 'related' },
                },
                { onSuccess: () => setReference('') },
              );
            })();
          }}
        >
          <ProblemAlert error={add.error} />
          <Group align="flex-end" gap="xs">
            <TextInput
              label={t('incidents.links.target')}
              description={t('incidents.links.targetHint')}
              value={reference}
              onChange={(e) => setReference(e.currentTarget.value)}
              required
            />
            <SubmitButton loading={add.isPending} variant="default">
              {t('incidents.links.add')}
            </SubmitButton>
          </Group>
        </form>
      )}
    </Stack>
  );
}

/** Tasks linked to the incident (tasks module, subject `incident`), and the category's task template. */
export function TasksTab({ incident, canWrite }: { incident: Incident; canWrite: boolean }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const tasks = useQuery({
    queryKey: ['tasks', 'list', 'incident', incident.id],
    queryFn: ({ signal }) =>
      call(listOfficeTasks, {
        params: { officeId: incident.officeId },
        query: { subjectType: 'incident', subjectId: incident.id, limit: 100 },
        signal,
      }),
    enabled: can('task.read'),
  });
  const apply = usePartMutation(incident.id, 'tasks');
  if (!can('task.read')) return <EmptyState title={t('incidents.tasks.noAccess')} />;
  return (
    <Stack gap="md">
      {canWrite && (
        <Group>
          <Button
            variant="default"
            leftSection={<IconListCheck size={16} aria-hidden />}
            loading={apply.isPending}
            onClick={() =>
              apply.mutate(
                {
                  method: 'POST',
                  path: `/api/v1/incidents/${enc(incident.id)}/apply-task-template`,
                  body: { lang: currentLanguage() },
                },
                {
                  onSuccess: () => {
                    void tasks.refetch();
                    notifications.show({ color: 'teal', message: t('incidents.tasks.applied') });
                  },
                },
              )
            }
          >
            {t('incidents.tasks.apply')}
          </Button>
        </Group>
      )}
      <ProblemAlert error={apply.error} />
      {tasks.error ? (
        <ErrorState error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : (tasks.data?.items ?? []).length === 0 && !tasks.isPending ? (
        <EmptyState title={t('incidents.tasks.empty')} />
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {(tasks.data?.items ?? []).map((task) => (
            <Paper component="li" key={task.id} withBorder radius="md" p="sm">
              <Group justify="space-between" wrap="nowrap">
                <Anchor component={Link} to={`/tasks/${task.id}`} fz="sm" fw={500}>
                  {task.title}
                </Anchor>
                <StatusBadge status={task.status} />
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** Downloads: the incident report (PDF, DOCX), the STIX 2.1 bundle, and the redacted staff advisory. */
export function ReportTab({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const [lang, setLang] = useState<string>(currentLanguage());
  const [advisory, setAdvisory] = useState<string | undefined>();
  const [advisoryError, setAdvisoryError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const [exportError, setExportError] = useState<unknown>();
  const loadAdvisory = async () => {
    setLoading(true);
    setAdvisoryError(undefined);
    try {
      setAdvisory((await fetchAdvisory(incident.id, lang)).markdown);
    } catch (e) {
      setAdvisoryError(e);
    } finally {
      setLoading(false);
    }
  };
  const exportAs = async (format: 'misp' | 'awsd-csv') => {
    setExportError(undefined);
    try {
      const blob = await downloadExport([incident.id], format);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${incident.reference}.${format === 'misp' ? 'misp.json' : 'csv'}`;
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (e) {
      setExportError(e);
    }
  };
  return (
    <Stack gap="md">
      <Select
        label={t('incidents.report.language')}
        data={[
          { value: 'en', label: 'English' },
          { value: 'fr', label: 'Français' },
        ]}
        value={lang}
        onChange={(v) => v && setLang(v)}
        allowDeselect={false}
        w={200}
        comboboxProps={{ withinPortal: true }}
      />
      <Anchor component={Link} to="/incidents/report-template" fz="sm">
        {t('incidents.reportTemplate.crumb')}
      </Anchor>
      <Group gap="xs" wrap="wrap">
        <Button
          component="a"
          href={incidentLinks.pdf(incident.id, lang)}
          download
          leftSection={<IconFileTypePdf size={16} aria-hidden />}
        >
          {t('incidents.report.pdf')}
        </Button>
        <Button
          component="a"
          href={incidentLinks.docx(incident.id, lang)}
          download
          variant="default"
          leftSection={<IconFileTypeDocx size={16} aria-hidden />}
        >
          {t('incidents.report.docx')}
        </Button>
        <Button
          component="a"
          href={incidentLinks.stix(incident.id)}
          download={`${incident.reference}.stix.json`}
          variant="default"
          leftSection={<IconShare size={16} aria-hidden />}
        >
          {t('incidents.report.stix')}
        </Button>
        <Button
          variant="default"
          leftSection={<IconDownload size={16} aria-hidden />}
          onClick={() => void exportAs('misp')}
        >
          {t('incidents.report.misp')}
        </Button>
        <Button
          variant="default"
          leftSection={<IconDownload size={16} aria-hidden />}
          onClick={() => void exportAs('awsd-csv')}
        >
          {t('incidents.report.awsd')}
        </Button>
      </Group>
      <ProblemAlert error={exportError} />
      <Paper withBorder radius="md" p="sm">
        <Stack gap="xs">
          <Title order={3} fz="md">
            {t('incidents.report.advisory')}
          </Title>
          <Text fz="sm" c="dimmed">
            {t('incidents.report.advisoryHint')}
          </Text>
          <Group gap="xs">
            <Button variant="default" loading={loading} onClick={() => void loadAdvisory()}>
              {t('incidents.report.preview')}
            </Button>
            <Button
              component="a"
              href={incidentLinks.advisoryPdf(incident.id, lang)}
              download
              variant="default"
              leftSection={<IconFileTypePdf size={16} aria-hidden />}
            >
              {t('incidents.report.advisoryPdf')}
            </Button>
          </Group>
          {isApiError(advisoryError) || advisoryError ? <ProblemAlert error={advisoryError} /> : null}
          {advisory !== undefined && (
            <Paper withBorder radius="sm" p="sm">
              <Typography fz="sm">
                {/* Markdown without raw HTML: react-markdown builds React elements, never innerHTML. */}
                <Markdown skipHtml>{advisory}</Markdown>
              </Typography>
            </Paper>
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}
