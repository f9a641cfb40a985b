import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBell, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  acknowledgeEscalation,
  getEscalationMatrix,
  listPendingEscalations,
  putEscalationMatrix,
} from '../../../shared/incidents/escalation.contract.ts';
import {
  ESCALATION_TARGETS,
  type EscalationMatrix,
  type EscalationTarget,
  type SeverityRule,
} from '../../../shared/incidents/escalation.schemas.ts';
import { useOffices } from '../../app/office-context.tsx';
import { useSession } from '../../app/session.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { call } from '../../lib/api-client.ts';
import { formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';

const SEVERITIES = ['4', '3', '2', '1'] as const;
type Severity = (typeof SEVERITIES)[number];
const MODES = ['timer', 'periodic_report', 'monthly_summary'] as const;

const keys = {
  pending: ['incidents', 'escalation-queue'] as const,
  matrix: (officeId: string) => ['incidents', 'escalation-matrix', officeId] as const,
};

/** HQ's queue of escalations waiting for an acknowledgement, and the office's escalation matrix. */
export function EscalationPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { current } = useOffices();
  return (
    <>
      <PageHeader
        title={t('incidents.escalationPage.title')}
        description={t('incidents.escalationPage.description')}
        breadcrumbs={[
          { label: t('incidents.title'), to: '/incidents' },
          { label: t('incidents.escalationPage.title') },
        ]}
      />
      <Stack gap="lg">
        <PendingQueue />
        {current && <MatrixEditor officeId={current.id} officeLabel={current.code} canEdit={can('incident.manage')} />}
      </Stack>
    </>
  );
}

function PendingQueue() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const queryClient = useQueryClient();
  const pending = useQuery({
    queryKey: keys.pending,
    queryFn: ({ signal }) => call(listPendingEscalations, { query: { limit: 100 }, signal }),
    refetchInterval: 60_000,
  });
  const ack = useMutation({
    mutationFn: (escalationId: string) => call(acknowledgeEscalation, { params: { escalationId }, body: {} }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['incidents'] });
      notifications.show({ color: 'teal', message: t('incidents.escalationPage.acknowledged') });
    },
  });
  const items = pending.data?.items ?? [];
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="pending-heading">
      <Group gap={6} mb="sm">
        <IconBell size={18} aria-hidden />
        <Title order={2} fz="md" id="pending-heading">
          {t('incidents.escalationPage.pending')}
        </Title>
      </Group>
      {pending.error ? (
        <ErrorState error={pending.error} onRetry={() => void pending.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={pending.isPending ? t('common.loading') : t('incidents.escalationPage.nothingPending')} />
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table fz="sm" aria-labelledby="pending-heading">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('incidents.escalationPage.incident')}</Table.Th>
                <Table.Th>{t('incidents.escalationPage.severity')}</Table.Th>
                <Table.Th>{t('incidents.escalationPage.step')}</Table.Th>
                <Table.Th>{t('incidents.escalationPage.due')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Link to={`/incidents/${s.incidentId}`}>{s.reference}</Link>
                  </Table.Td>
                  <Table.Td>{s.severity}</Table.Td>
                  <Table.Td>
                    {t('incidents.escalation.level', { level: s.level })} ·{' '}
                    {s.targets.map((r) => t(`roles.${r}`)).join(', ')}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {s.dueAt ? formatDateTime(s.dueAt, language) : '—'}
                      {s.status === 'overdue' && (
                        <Badge color="red.8" radius="sm" tt="none" style={{ flexShrink: 0 }}>
                          {t('incidents.escalation.overdue')}
                        </Badge>
                      )}
                      {s.paused && (
                        <Badge color="gray" variant="light" radius="sm" tt="none" style={{ flexShrink: 0 }}>
                          {t('incidents.escalationPage.paused')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {s.canAcknowledge && (
                      <Button
                        size="xs"
                        loading={ack.isPending && ack.variables === s.id}
                        onClick={() => ack.mutate(s.id)}
                        aria-label={t('incidents.escalationPage.acknowledgeOne', { reference: s.reference })}
                      >
                        {t('incidents.escalation.acknowledge')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ProblemAlert error={ack.error} />
    </Paper>
  );
}

function MatrixEditor({ officeId, officeLabel, canEdit }: { officeId: string; officeLabel: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const matrix = useQuery({
    queryKey: keys.matrix(officeId),
    queryFn: ({ signal }) => call(getEscalationMatrix, { params: { officeId }, signal }),
  });
  const [draft, setDraft] = useState<EscalationMatrix | null>(null);
  useEffect(() => {
    if (matrix.data) setDraft(structuredClone(matrix.data.matrix));
  }, [matrix.data]);
  const save = useMutation({
    mutationFn: (body: { matrix: EscalationMatrix; version: number }) =>
      call(putEscalationMatrix, { params: { officeId }, body }),
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.matrix(officeId), saved);
      notifications.show({ color: 'teal', message: t('incidents.escalationPage.saved') });
    },
  });

  if (matrix.error) return <ErrorState error={matrix.error} onRetry={() => void matrix.refetch()} />;
  if (!matrix.data || !draft) return null;

  const setRule = (sev: Severity, rule: SeverityRule) =>
    setDraft({ ...draft, severities: { ...draft.severities, [sev]: rule } });
  const roleOptions = ESCALATION_TARGETS.map((r) => ({ value: r, label: t(`roles.${r}`) }));

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="matrix-heading">
      <Title order={2} fz="md" id="matrix-heading" mb={4}>
        {t('incidents.escalationPage.matrix', { office: officeLabel })}
      </Title>
      <Text fz="sm" c="dimmed" mb="sm">
        {matrix.data.isDefault ? t('incidents.escalationPage.defaults') : t('incidents.escalationPage.own')}
      </Text>
      <Stack gap="md">
        {SEVERITIES.map((sev) => {
          const rule = draft.severities[sev];
          return (
            <Paper key={sev} withBorder radius="sm" p="sm">
              <Group justify="space-between" mb="xs" wrap="wrap">
                <Text fw={600}>{t('incidents.escalationPage.severityN', { severity: sev })}</Text>
                <SegmentedControl
                  size="xs"
                  disabled={!canEdit}
                  value={rule.mode}
                  aria-label={t('incidents.escalationPage.modeFor', { severity: sev })}
                  data={MODES.map((m) => ({ value: m, label: t(`incidents.escalationPage.modes.${m}`) }))}
                  onChange={(m) =>
                    setRule(
                      sev,
                      m === 'timer'
                        ? { mode: 'timer', steps: [{ targets: ['hq_security'], minutes: 60 }] }
                        : { mode: m as 'periodic_report' | 'monthly_summary' },
                    )
                  }
                />
              </Group>
              {rule.mode === 'timer' && (
                <Stack gap="xs">
                  {rule.steps.map((step, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: steps are positional (level = index + 1)
                    <Group key={i} align="flex-end" gap="sm" wrap="wrap">
                      <Text fz="sm" w={70}>
                        {t('incidents.escalation.level', { level: i + 1 })}
                      </Text>
                      <Checkbox.Group
                        label={t('incidents.escalationPage.targets')}
                        value={step.targets}
                        onChange={(v) => {
                          const steps = rule.steps.map((s, j) =>
                            j === i ? { ...s, targets: v as EscalationTarget[] } : s,
                          );
                          setRule(sev, { mode: 'timer', steps });
                        }}
                      >
                        <Group gap="sm" mt={4}>
                          {roleOptions.map((o) => (
                            <Checkbox key={o.value} value={o.value} label={o.label} disabled={!canEdit} />
                          ))}
                        </Group>
                      </Checkbox.Group>
                      <NumberInput
                        label={t('incidents.escalationPage.minutes')}
                        value={step.minutes}
                        min={1}
                        max={20_160}
                        w={150}
                        disabled={!canEdit}
                        onChange={(v) => {
                          const minutes = typeof v === 'number' ? v : Number.parseInt(v, 10) || 1;
                          const steps = rule.steps.map((s, j) => (j === i ? { ...s, minutes } : s));
                          setRule(sev, { mode: 'timer', steps });
                        }}
                      />
                      {canEdit && rule.steps.length > 1 && (
                        <Button
                          variant="subtle"
                          color="red"
                          size="xs"
                          leftSection={<IconTrash size={14} aria-hidden />}
                          onClick={() => setRule(sev, { mode: 'timer', steps: rule.steps.filter((_, j) => j !== i) })}
                        >
                          {t('incidents.escalationPage.removeStep')}
                        </Button>
                      )}
                    </Group>
                  ))}
                  {canEdit && rule.steps.length < 5 && (
                    <Group>
                      <Button
                        variant="default"
                        size="xs"
                        leftSection={<IconPlus size={14} aria-hidden />}
                        onClick={() =>
                          setRule(sev, {
                            mode: 'timer',
                            steps: [...rule.steps, { targets: ['admin', 'head_of_office'], minutes: 60 }],
                          })
                        }
                      >
                        {t('incidents.escalationPage.addStep')}
                      </Button>
                    </Group>
                  )}
                </Stack>
              )}
            </Paper>
          );
        })}
        <Select
          label={t('incidents.escalationPage.immediate')}
          w={360}
          disabled={!canEdit}
          allowDeselect={false}
          value={draft.immediateFromSeverity === null ? 'never' : String(draft.immediateFromSeverity)}
          data={[
            ...['1', '2', '3', '4'].map((s) => ({
              value: s,
              label: t('incidents.escalationPage.fromSeverity', { severity: s }),
            })),
            { value: 'never', label: t('incidents.escalationPage.never') },
          ]}
          onChange={(v) =>
            setDraft({
              ...draft,
              immediateFromSeverity: v === 'never' || !v ? null : (Number(v) as 1 | 2 | 3 | 4),
            })
          }
        />
        <ProblemAlert error={save.error} />
        {canEdit ? (
          <Group justify="flex-end">
            <Button
              loading={save.isPending}
              onClick={() => save.mutate({ matrix: draft, version: matrix.data.version })}
            >
              {t('incidents.escalationPage.save')}
            </Button>
          </Group>
        ) : (
          <Alert color="gray" variant="light">
            {t('incidents.escalationPage.readOnly')}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
