import {
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  Menu,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
  Typography,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBell, IconChevronDown, IconEdit, IconLock, IconUserCheck } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Markdown from 'react-markdown';
import { useParams, useSearchParams } from 'react-router';
import { INCIDENT_SEVERITIES, type IncidentStatus } from '../../../shared/incidents/incidents.enums.ts';
import { useOffices } from '../../app/office-context.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { PageSkeleton } from '../../components/skeletons.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { countryName, formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { useOfficeUserOptions, useUserNames } from '../tasks/task-ui.tsx';
import { AccessSection, PersonsTab, useEligibleUsers } from './incident-access.tsx';
import { IncidentFormModal } from './incident-form.modal.tsx';
import { CommunicationsTab, EvidenceTab, ReportTab, TasksTab, TimelineTab } from './incident-tabs.tsx';
import { categoryLabel, IncidentStatusBadge, SensitiveMark, SeverityBadge, TlpBadge } from './incident-ui.tsx';
import {
  type Escalation,
  type Incident,
  useAcknowledgeEscalation,
  useCategories,
  useIncident,
  useIncidentPart,
  useReview,
  useTransition,
  useTriage,
  useUpdateIncident,
} from './incidents.api.ts';

const TABS = ['overview', 'timeline', 'tasks', 'evidence', 'communications', 'report', 'persons'] as const;
type Tab = (typeof TABS)[number];

export function IncidentPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const query = useIncident(id);
  if (query.isPending) return <PageSkeleton />;
  if (query.isError) {
    return (
      <>
        <PageHeader
          title={t('incidents.title')}
          breadcrumbs={[{ label: t('incidents.title'), to: '/incidents' }, { label: '…' }]}
        />
        <ErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      </>
    );
  }
  return <IncidentView incident={query.data} />;
}

function IncidentView({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((x) => x === params.get('tab')) ?? 'overview';
  const [editing, setEditing] = useState(false);
  const [move, setMove] = useState<IncidentStatus | undefined>();
  const canWrite = can('incident.write');
  const canRead = can('incident.read');
  const transition = useTransition(incident.id);
  const nexts = incident.allowedTransitions;

  const simpleMove = (to: IncidentStatus) =>
    transition.mutate(
      { to, version: incident.version },
      {
        onSuccess: (saved) =>
          notifications.show({
            color: 'teal',
            message: t('incidents.moved', { reference: saved.reference, status: t(`incidents.status.${to}`) }),
          }),
        onError: (error) =>
          notifications.show({
            color: isApiError(error) && error.isConflict ? 'orange' : 'red',
            message: isApiError(error) && error.isConflict ? t('incidents.conflict.text') : error.message,
          }),
      },
    );

  const chooseMove = (to: IncidentStatus) => {
    if (to === 'triaged' || to === 'closed' || to === 'rejected' || to === 'duplicate') setMove(to);
    else simpleMove(to);
  };

  return (
    <>
      <PageHeader
        title={incident.title}
        documentTitle={incident.reference}
        description={
          <Text component="span" ff="monospace" fz="sm">
            {incident.reference}
          </Text>
        }
        breadcrumbs={[{ label: t('incidents.title'), to: '/incidents' }, { label: incident.reference }]}
        badges={
          <Group gap={6}>
            <IncidentStatusBadge status={incident.status} />
            <SeverityBadge severity={incident.severity} />
            <TlpBadge tlp={incident.tlp} />
            {incident.sensitive && <SensitiveMark />}
          </Group>
        }
        actions={
          canWrite && (
            <Group gap="xs">
              <Button
                variant="default"
                leftSection={<IconEdit size={16} aria-hidden />}
                onClick={() => setEditing(true)}
              >
                {t('common.edit')}
              </Button>
              {nexts.length > 0 && (
                <Menu position="bottom-end" shadow="md">
                  <Menu.Target>
                    <Button rightSection={<IconChevronDown size={14} aria-hidden />} loading={transition.isPending}>
                      {t('incidents.changeStatus')}
                    </Button>
                  </Menu.Target>
                  <Menu.Dropdown>
                    {nexts.map((s) => (
                      <Menu.Item key={s} onClick={() => chooseMove(s)}>
                        {t(`incidents.actions.${s}`)}
                      </Menu.Item>
                    ))}
                  </Menu.Dropdown>
                </Menu>
              )}
            </Group>
          )
        }
      />

      {incident.status === 'awaiting_external' && (
        <Alert color="yellow" mb="md" title={t('incidents.paused')}>
          {t('incidents.pausedText')}
        </Alert>
      )}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Tabs
            value={tab}
            onChange={(v) =>
              setParams(
                (p) => {
                  const next = new URLSearchParams(p);
                  if (!v || v === 'overview') next.delete('tab');
                  else next.set('tab', v);
                  return next;
                },
                { replace: true },
              )
            }
            keepMounted={false}
          >
            <Tabs.List aria-label={t('incidents.tabs.label')} mb="md" style={{ overflowX: 'auto', flexWrap: 'nowrap' }}>
              {TABS.filter((x) => (x === 'persons' ? canWrite : canRead || x === 'overview')).map((x) => (
                <Tabs.Tab
                  key={x}
                  value={x}
                  leftSection={x === 'persons' ? <IconLock size={14} aria-hidden /> : undefined}
                >
                  {t(`incidents.tabs.${x}`)}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            <Tabs.Panel value="overview">
              <Overview incident={incident} />
            </Tabs.Panel>
            {canRead && (
              <>
                <Tabs.Panel value="timeline">
                  <TimelineTab incident={incident} canWrite={canWrite} />
                </Tabs.Panel>
                <Tabs.Panel value="tasks">
                  <TasksTab incident={incident} canWrite={canWrite} />
                </Tabs.Panel>
                <Tabs.Panel value="evidence">
                  <EvidenceTab incident={incident} canWrite={canWrite} />
                </Tabs.Panel>
                <Tabs.Panel value="communications">
                  <CommunicationsTab incident={incident} canWrite={canWrite} />
                </Tabs.Panel>
                <Tabs.Panel value="report">
                  <ReportTab incident={incident} />
                </Tabs.Panel>
              </>
            )}
            {canWrite && (
              <Tabs.Panel value="persons">
                <PersonsTab incident={incident} />
              </Tabs.Panel>
            )}
          </Tabs>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <ReviewPanel incident={incident} />
            {canRead && <EscalationPanel incident={incident} />}
            {canWrite && <AccessSection incident={incident} />}
          </Stack>
        </Grid.Col>
      </Grid>

      {editing && (
        <IncidentFormModal
          officeId={incident.officeId}
          mode="edit"
          incident={incident}
          opened
          onClose={() => setEditing(false)}
        />
      )}
      {move === 'triaged' && <TriageModal incident={incident} onClose={() => setMove(undefined)} />}
      {move === 'closed' && <CloseModal incident={incident} onClose={() => setMove(undefined)} />}
      {(move === 'rejected' || move === 'duplicate') && (
        <ReasonModal incident={incident} to={move} onClose={() => setMove(undefined)} />
      )}
    </>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text fz="xs" c="dimmed" fw={600} tt="uppercase" lts={0.3}>
        {label}
      </Text>
      <div style={{ fontSize: 'var(--mantine-font-size-sm)' }}>{children ?? '—'}</div>
    </Stack>
  );
}

const TIME_FIELDS = [
  'occurredAt',
  'detectedAt',
  'reportedAt',
  'acknowledgedAt',
  'containedAt',
  'hqNotifiedAt',
  'hqAcknowledgedAt',
  'resolvedAt',
  'closedAt',
] as const;

const IMPACT_KEYS = [
  'peopleKilled',
  'peopleInjured',
  'peopleKidnapped',
  'peopleDetained',
  'dataRecords',
  'dataDescription',
  'downtimeHours',
  'financialLoss',
  'currency',
] as const;
type ImpactKey = (typeof IMPACT_KEYS)[number];

function Overview({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const categories = useCategories(incident.officeId);
  const { nameOf } = useUserNames();
  const { offices } = useOffices();
  const office = offices.find((o) => o.id === incident.officeId);
  const when = (iso: string | null | undefined) => (iso ? formatDateTime(iso, language) : '—');
  const location = [
    incident.locationText,
    incident.city,
    incident.country ? countryName(incident.country, language) : null,
  ]
    .filter(Boolean)
    .join(', ');
  const impacts = Object.entries(incident.impacts ?? {}).filter(
    (e): e is [ImpactKey, string | number] =>
      e[1] !== null && e[1] !== undefined && IMPACT_KEYS.includes(e[0] as ImpactKey),
  );
  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="md">
          <Field label={t('incidents.fields.office')}>{office ? `${office.code} · ${office.name}` : '—'}</Field>
          <Field label={t('incidents.fields.domain')}>{t(`incidents.domain.${incident.domain}`)}</Field>
          <Field label={t('incidents.fields.category')}>{categoryLabel(incident.category, categories.data)}</Field>
          <Field label={t('incidents.fields.determination')}>
            {t(`incidents.determination.${incident.determination}`)}
          </Field>
          <Field label={t('incidents.fields.severity')}>
            <SeverityBadge severity={incident.severity} />
          </Field>
          <Field label={t('incidents.fields.reportChannel')}>
            {incident.reportChannel
              ? t(`incidents.channel.${incident.reportChannel as 'app'}`, { defaultValue: incident.reportChannel })
              : '—'}
          </Field>
          <Field label={t('incidents.fields.reporter')}>
            {incident.reporterName ?? (incident.reporterUserId ? nameOf(incident.reporterUserId) : '—')}
          </Field>
          <Field label={t('incidents.fields.owner')}>{incident.ownerName ?? nameOf(incident.ownerUserId)}</Field>
          <Field label={t('incidents.fields.reviewer')}>
            {incident.reviewerName ?? (incident.reviewerUserId ? nameOf(incident.reviewerUserId) : '—')}
          </Field>
          <Field label={t('incidents.fields.location')}>
            {location || '—'}
            {incident.locationType && (
              <Text fz="xs" c="dimmed">
                {t(`incidents.locationType.${incident.locationType as 'other'}`, {
                  defaultValue: incident.locationType,
                })}
              </Text>
            )}
            {incident.latitude != null && incident.longitude != null && (
              <Text fz="xs" c="dimmed" ff="monospace">
                {incident.latitude.toFixed(5)}, {incident.longitude.toFixed(5)}
              </Text>
            )}
          </Field>
          <Field label={t('incidents.fields.actorType')}>
            {incident.actorType
              ? t(`incidents.actorType.${incident.actorType as 'unknown'}`, { defaultValue: incident.actorType })
              : '—'}
          </Field>
          <Field label={t('incidents.fields.classification')}>{incident.classification || '—'}</Field>
          {incident.anyoneHurt != null && (
            <Field label={t('incidents.quick.anyoneHurt')}>
              {incident.anyoneHurt ? t('incidents.quick.hurtYes') : t('incidents.quick.hurtNo')}
            </Field>
          )}
          {incident.helpNeeded && <Field label={t('incidents.quick.helpNeeded')}>{incident.helpNeeded}</Field>}
        </SimpleGrid>
      </Paper>

      <Paper withBorder radius="md" p="md">
        <Title order={2} fz="md" mb="xs">
          {t('incidents.fields.narrative')}
        </Title>
        {incident.narrative ? (
          <Typography fz="sm">
            {/* Markdown without raw HTML: react-markdown builds React elements, never innerHTML. */}
            <Markdown skipHtml>{incident.narrative}</Markdown>
          </Typography>
        ) : (
          <Text c="dimmed" fz="sm">
            {t('incidents.noNarrative')}
          </Text>
        )}
      </Paper>

      <Paper withBorder radius="md" p="md">
        <Title order={2} fz="md" mb="xs">
          {t('incidents.times.title')}
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
          {TIME_FIELDS.map((f) => (
            <Field key={f} label={t(`incidents.times.${f}`)}>
              {when(incident[f])}
            </Field>
          ))}
        </SimpleGrid>
      </Paper>

      {((incident.observables?.length ?? 0) > 0 || impacts.length > 0) && (
        <Paper withBorder radius="md" p="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Stack gap={4}>
              <Title order={2} fz="md">
                {t('incidents.fields.observables')}
              </Title>
              {(incident.observables ?? []).map((o) => (
                <Text key={`${o.type}:${o.value}`} fz="sm" style={{ wordBreak: 'break-all' }}>
                  <Badge variant="default" radius="sm" tt="none" mr={6}>
                    {o.type}
                  </Badge>
                  <span style={{ fontFamily: 'monospace' }}>{o.value}</span>
                </Text>
              ))}
            </Stack>
            <Stack gap={4}>
              <Title order={2} fz="md">
                {t('incidents.fields.impacts')}
              </Title>
              {impacts.map(([k, v]) => (
                <Text key={k} fz="sm">
                  {t(`incidents.impacts.${k}`)}: {String(v)}
                </Text>
              ))}
            </Stack>
          </SimpleGrid>
        </Paper>
      )}

      {(incident.closingSummary || incident.lessonsLearned) && (
        <Paper withBorder radius="md" p="md">
          <Stack gap="sm">
            {incident.closingSummary && (
              <Field label={t('incidents.close.summary')}>
                <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {incident.closingSummary}
                </Text>
              </Field>
            )}
            {incident.lessonsLearned && (
              <Field label={t('incidents.close.lessons')}>
                <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {incident.lessonsLearned}
                </Text>
              </Field>
            )}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}

/** Triage: the severity (with its written criteria) and the owner, then the status. */
function TriageModal({ incident, onClose }: { incident: Incident; onClose: () => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const owners = useOfficeUserOptions(incident.officeId);
  const triage = useTriage(incident.id);
  const [severity, setSeverity] = useState<string | null>(incident.severity ? String(incident.severity) : null);
  const [owner, setOwner] = useState<string | null>(incident.ownerUserId ?? me.userId);
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('incidents.triage.title')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!severity) return;
          triage.mutate(
            { changes: { severity: Number(severity) as 1 | 2 | 3 | 4, ownerUserId: owner }, version: incident.version },
            {
              onSuccess: (saved) => {
                notifications.show({
                  color: 'teal',
                  message: t('incidents.triage.done', { reference: saved.reference, severity }),
                });
                onClose();
              },
            },
          );
        }}
      >
        <Stack>
          <ProblemAlert error={triage.error} />
          <Select
            label={t('incidents.fields.severity')}
            data={INCIDENT_SEVERITIES.map((s) => ({
              value: String(s),
              label: `${s} · ${t(`incidents.severity.name.${String(s) as '1'}`)}`,
            }))}
            value={severity}
            onChange={setSeverity}
            required
            data-autofocus
            description={severity ? t(`incidents.severity.criteria.${severity as '1'}`) : undefined}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t('incidents.fields.owner')}
            data={owners}
            value={owner}
            onChange={setOwner}
            searchable
            clearable
            comboboxProps={{ withinPortal: true }}
          />
          {severity && Number(severity) >= 3 && (
            <Alert color="orange" icon={<IconBell size={18} aria-hidden />}>
              {t('incidents.triage.escalates')}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <SubmitButton loading={triage.isPending} disabled={!severity}>
              {t('incidents.triage.submit')}
            </SubmitButton>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Closing: summary and lessons learned; the server refuses without a reviewer's approval (four eyes). */
function CloseModal({ incident, onClose }: { incident: Incident; onClose: () => void }) {
  const { t } = useTranslation();
  const transition = useTransition(incident.id);
  const [summary, setSummary] = useState(incident.closingSummary ?? '');
  const [lessons, setLessons] = useState(incident.lessonsLearned ?? '');
  const approved = Boolean(incident.reviewedAt);
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('incidents.close.title')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          transition.mutate(
            { to: 'closed', version: incident.version, closingSummary: summary.trim(), lessonsLearned: lessons.trim() },
            {
              onSuccess: (saved) => {
                notifications.show({
                  color: 'teal',
                  message: t('incidents.close.done', { reference: saved.reference }),
                });
                onClose();
              },
            },
          );
        }}
      >
        <Stack>
          {!approved && (
            <Alert color="blue" icon={<IconUserCheck size={18} aria-hidden />}>
              {t('incidents.close.needsReview')}
            </Alert>
          )}
          <ProblemAlert error={transition.error} />
          <Textarea
            label={t('incidents.close.summary')}
            value={summary}
            onChange={(e) => setSummary(e.currentTarget.value)}
            required
            autosize
            minRows={3}
            maxLength={10_000}
            data-autofocus
          />
          <Textarea
            label={t('incidents.close.lessons')}
            value={lessons}
            onChange={(e) => setLessons(e.currentTarget.value)}
            required
            autosize
            minRows={3}
            maxLength={10_000}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <SubmitButton loading={transition.isPending}>{t('incidents.close.submit')}</SubmitButton>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ReasonModal({
  incident,
  to,
  onClose,
}: {
  incident: Incident;
  to: 'rejected' | 'duplicate';
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const transition = useTransition(incident.id);
  const [reason, setReason] = useState('');
  const [duplicateOf, setDuplicateOf] = useState('');
  return (
    <Modal
      opened
      onClose={onClose}
      title={t(`incidents.actions.${to}`)}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          transition.mutate(
            {
              to,
              version: incident.version,
              reason: reason.trim(),
              ...(to === 'duplicate' ? { duplicateOf: duplicateOf.trim() } : {}),
            },
            { onSuccess: onClose },
          );
        }}
      >
        <Stack>
          <ProblemAlert error={transition.error} />
          {to === 'duplicate' && (
            <TextInput
              label={t('incidents.duplicateOf')}
              description={t('incidents.links.targetHint')}
              value={duplicateOf}
              onChange={(e) => setDuplicateOf(e.currentTarget.value)}
              required
            />
          )}
          <Textarea
            label={t('incidents.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            required
            autosize
            minRows={2}
            maxLength={2000}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <SubmitButton loading={transition.isPending}>{t('common.save')}</SubmitButton>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * The reviewer's sign-off (four eyes): someone other than the owner approves or sends it back.
 * The record tells an approval by `reviewedAt` (set only by an approval, cleared by a send-back, a new
 * reviewer or a reopening); it keeps no decision field, so a send-back is not told apart from "not reviewed
 * yet": the panel says "signed off" or "review requested", and shows the reviewer's latest note either way.
 */
function ReviewPanel({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const { nameOf } = useUserNames();
  const review = useReview(incident.id);
  const ask = useUpdateIncident(incident.id);
  const reviewers = useEligibleUsers(incident.officeId, 'incident.review').filter(
    (u) => u.value !== incident.ownerUserId,
  );
  const [note, setNote] = useState('');
  const [reviewer, setReviewer] = useState<string | null>(null);
  const language = currentLanguage();
  const reviewable = incident.status === 'resolved';
  const isOwner = incident.ownerUserId === me.userId;
  if (!reviewable && !incident.reviewedAt) return null;
  const signedOff = Boolean(incident.reviewedAt);
  const reviewerName = incident.reviewerName ?? nameOf(incident.reviewerUserId);
  const mayReview =
    reviewable &&
    !signedOff &&
    can('incident.review') &&
    !isOwner &&
    (!incident.reviewerUserId || incident.reviewerUserId === me.userId || me.allOffices);
  const mayAsk = reviewable && !signedOff && can('incident.write');
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="review-heading">
      <Title order={2} fz="md" mb="xs" id="review-heading">
        {t('incidents.review.title')}
      </Title>
      <Stack gap="xs">
        {signedOff ? (
          <Stack gap={4}>
            <Badge
              color="teal"
              variant="light"
              radius="sm"
              tt="none"
              leftSection={<IconUserCheck size={12} aria-hidden />}
            >
              {t('incidents.review.signedOff')}
            </Badge>
            <Text fz="sm">
              {t('incidents.review.by', {
                name: reviewerName,
                at: formatDateTime(incident.reviewedAt ?? '', language),
              })}
            </Text>
          </Stack>
        ) : incident.reviewerUserId ? (
          <Stack gap={4}>
            <Badge color="blue" variant="light" radius="sm" tt="none">
              {t('incidents.review.requested')}
            </Badge>
            <Text fz="sm">{t('incidents.review.askedOf', { name: reviewerName })}</Text>
          </Stack>
        ) : (
          <Badge color="gray" variant="outline" radius="sm" tt="none">
            {t('incidents.review.notRequested')}
          </Badge>
        )}
        {incident.reviewNote && (
          <Stack gap={0}>
            <Text fz="xs" c="dimmed" fw={600}>
              {t('incidents.review.lastNote')}
            </Text>
            <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {incident.reviewNote}
            </Text>
          </Stack>
        )}
        {mayReview && (
          <Stack gap="xs">
            <Text fz="sm" c="dimmed">
              {t('incidents.review.prompt')}
            </Text>
            <ProblemAlert error={review.error} />
            <Textarea
              label={t('incidents.review.note')}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              autosize
              minRows={2}
              maxLength={2000}
            />
            <Group gap="xs">
              <Button
                color="teal"
                loading={review.isPending}
                onClick={() =>
                  review.mutate(
                    { decision: 'approve', note: note.trim(), version: incident.version },
                    { onSuccess: () => setNote('') },
                  )
                }
              >
                {t('incidents.review.approve')}
              </Button>
              <Button
                variant="default"
                loading={review.isPending}
                onClick={() =>
                  review.mutate(
                    { decision: 'reject', note: note.trim(), version: incident.version },
                    { onSuccess: () => setNote('') },
                  )
                }
              >
                {t('incidents.review.reject')}
              </Button>
            </Group>
          </Stack>
        )}
        {mayAsk && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (!reviewer) return;
              ask.mutate(
                { reviewerUserId: reviewer, version: incident.version },
                {
                  onSuccess: () => {
                    notifications.show({ color: 'teal', message: t('incidents.review.askedDone') });
                    setReviewer(null);
                  },
                },
              );
            }}
          >
            <Stack gap="xs">
              <Select
                label={incident.reviewerUserId ? t('incidents.review.askOther') : t('incidents.review.ask')}
                data={reviewers.filter((u) => u.value !== incident.reviewerUserId)}
                value={reviewer}
                onChange={setReviewer}
                searchable
                clearable
                nothingFoundMessage={t('common.nothingFound')}
                comboboxProps={{ withinPortal: true }}
              />
              <ProblemAlert error={ask.error} />
              <Group justify="flex-end">
                <SubmitButton size="xs" variant="default" loading={ask.isPending} disabled={!reviewer}>
                  {t('incidents.review.askButton')}
                </SubmitButton>
              </Group>
            </Stack>
          </form>
        )}
        {!signedOff && !mayReview && !mayAsk && (
          <Text fz="sm" c="dimmed">
            {t('incidents.review.waiting')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** The escalation steps with their deadlines; HQ acknowledges here. */
function EscalationPanel({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const list = useIncidentPart<Escalation>(incident.id, 'escalations');
  const ack = useAcknowledgeEscalation(incident.id);
  if (list.error && isApiError(list.error) && list.error.status === 404) return null;
  const steps = list.data ?? [];
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="escalation-heading">
      <Group gap={6} mb="xs">
        <IconBell size={18} aria-hidden />
        <Title order={2} fz="md" id="escalation-heading">
          {t('incidents.escalation.title')}
        </Title>
      </Group>
      {list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : steps.length === 0 ? (
        <Text fz="sm" c="dimmed">
          {list.isPending ? t('common.loading') : t('incidents.escalation.none')}
        </Text>
      ) : (
        <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {steps.map((s) => {
            const timed = s.kind === 'timer';
            const badge: { color: string; variant: string; label: string } | null =
              s.status === 'acknowledged'
                ? { color: 'teal', variant: 'light', label: t('incidents.escalation.acknowledged') }
                : s.status === 'overdue'
                  ? { color: 'red.8', variant: 'filled', label: t('incidents.escalation.overdue') }
                  : s.status === 'open'
                    ? { color: 'blue', variant: 'light', label: t('incidents.escalation.pending') }
                    : s.status === 'cancelled'
                      ? { color: 'gray', variant: 'light', label: t('incidents.escalation.cancelled') }
                      : s.status === 'superseded'
                        ? { color: 'gray', variant: 'light', label: t('incidents.escalation.superseded') }
                        : null;
            return (
              <Paper component="li" key={s.id} withBorder radius="sm" p="xs">
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text fz="sm" fw={600}>
                    {s.kind === 'timer'
                      ? `${t('incidents.escalation.level', { level: s.level })} · ${s.targets.map((r) => t(`roles.${r}`)).join(', ')}`
                      : t(`incidents.escalation.${s.kind}`)}
                  </Text>
                  {badge && (
                    <Badge color={badge.color} variant={badge.variant} radius="sm" tt="none" style={{ flexShrink: 0 }}>
                      {badge.label}
                    </Badge>
                  )}
                </Group>
                {timed && s.dueAt && (
                  <Text fz="xs" c={s.status === 'overdue' ? 'red' : 'dimmed'}>
                    {t('incidents.escalation.due', { at: formatDateTime(s.dueAt, language) })}
                  </Text>
                )}
                {s.paused && s.status === 'open' && (
                  <Text fz="xs" c="dimmed">
                    {t('incidents.escalation.paused')}
                  </Text>
                )}
                {s.acknowledgedAt && (
                  <Text fz="xs" c="dimmed">
                    {s.acknowledgedByName
                      ? t('incidents.escalation.ackBy', {
                          name: s.acknowledgedByName,
                          at: formatDateTime(s.acknowledgedAt, language),
                        })
                      : t('incidents.escalation.ackAt', { at: formatDateTime(s.acknowledgedAt, language) })}
                  </Text>
                )}
                {s.canAcknowledge && (
                  <Button
                    mt={6}
                    size="xs"
                    loading={ack.isPending && ack.variables === s.id}
                    onClick={() => ack.mutate(s.id)}
                  >
                    {t('incidents.escalation.acknowledge')}
                  </Button>
                )}
              </Paper>
            );
          })}
          <ProblemAlert error={ack.error} />
        </Stack>
      )}
      {incident.sensitive && (
        <Group gap={6} mt="sm">
          <IconLock size={14} aria-hidden />
          <Text fz="xs" c="dimmed">
            {t('incidents.sensitiveHint')}
          </Text>
        </Group>
      )}
    </Paper>
  );
}
