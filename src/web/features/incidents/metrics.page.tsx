import {
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconFileTypePdf } from '@tabler/icons-react';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOffices } from '../../app/office-context.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { currentLanguage } from '../../lib/i18n.ts';
import { categoryLabel } from './incident-ui.tsx';
import { statisticsPdfLink, useCategories, useIncidentList, useMetrics } from './incidents.api.ts';
import {
  formatDuration,
  GROUPS,
  type GroupBy,
  METRIC_NAMES,
  type MetricName,
  type MetricRow,
  normaliseMetrics,
  overallOf,
} from './metrics-data.ts';

const IncidentMap = lazy(() => import('./incident-map.tsx'));

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function MetricsPage() {
  const { t } = useTranslation();
  const { offices, current } = useOffices();
  const [officeId, setOfficeId] = useState<string | undefined>(current?.id);
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 365 * 86_400_000)));
  const [to, setTo] = useState(() => isoDay(new Date()));
  const [group, setGroup] = useState<GroupBy>('category');
  const [metric, setMetric] = useState<MetricName>('acknowledge');
  const office = officeId ?? current?.id;
  const lastMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1));
  const fromIso = `${from}T00:00:00.000Z`;
  const toIso = `${to}T23:59:59.999Z`;
  const metrics = useMetrics(office, fromIso, toIso);
  const categories = useCategories(office);
  const located = useIncidentList(
    { ...(office ? { officeId: office } : {}), hasLocation: 'true', reportedFrom: fromIso, reportedTo: toIso },
    true,
    200,
  );
  const groups = useMemo(() => normaliseMetrics(metrics.data), [metrics.data]);
  const overall = useMemo(() => overallOf(metrics.data), [metrics.data]);
  const rows = groups[group];
  const label = (key: string) =>
    group === 'category'
      ? categoryLabel(key, categories.data)
      : group === 'severity'
        ? t('incidents.severity.short', { level: key })
        : key;
  const fmt = (s: number | null) => formatDuration(s, t);

  return (
    <>
      <PageHeader
        title={t('incidents.metrics.title')}
        description={t('incidents.metrics.description')}
        breadcrumbs={[{ label: t('incidents.title'), to: '/incidents' }, { label: t('incidents.metrics.title') }]}
        actions={
          office && (
            <Group gap="xs">
              <Button
                component="a"
                variant="default"
                href={statisticsPdfLink(
                  office,
                  'month',
                  lastMonth.getUTCFullYear(),
                  lastMonth.getUTCMonth() + 1,
                  currentLanguage(),
                )}
                leftSection={<IconFileTypePdf size={16} aria-hidden />}
              >
                {t('incidents.metrics.statsMonth')}
              </Button>
              <Button
                component="a"
                variant="default"
                href={statisticsPdfLink(office, 'year', new Date().getUTCFullYear(), 1, currentLanguage())}
                leftSection={<IconFileTypePdf size={16} aria-hidden />}
              >
                {t('incidents.metrics.statsYear')}
              </Button>
            </Group>
          )
        }
      />
      <Group gap="sm" align="flex-end" mb="md" wrap="wrap">
        {offices.length > 1 && (
          <Select
            label={t('incidents.fields.office')}
            data={offices.map((o) => ({ value: o.id, label: o.code }))}
            value={office ?? null}
            onChange={(v) => setOfficeId(v ?? undefined)}
            allowDeselect={false}
            w={140}
            comboboxProps={{ withinPortal: true }}
          />
        )}
        <TextInput
          type="date"
          label={t('incidents.metrics.from')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('incidents.metrics.to')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
      </Group>

      {metrics.isError ? (
        <ErrorState error={metrics.error} onRetry={() => void metrics.refetch()} retrying={metrics.isFetching} />
      ) : (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
            {METRIC_NAMES.map((m) => (
              <Paper key={m} withBorder radius="md" p="md">
                <Text fz="xs" c="dimmed" fw={600} tt="uppercase">
                  {t(`incidents.metrics.names.${m}`)}
                </Text>
                {metrics.isPending ? (
                  <Skeleton h={28} mt={6} />
                ) : (
                  <>
                    <Text fz="xl" fw={700}>
                      {fmt(overall?.stats[m].median ?? null)}
                    </Text>
                    <Text fz="xs" c="dimmed">
                      {t('incidents.metrics.p90Line', { value: fmt(overall?.stats[m].p90 ?? null) })}
                    </Text>
                  </>
                )}
              </Paper>
            ))}
          </SimpleGrid>

          <Paper withBorder radius="md" p="md">
            <Group justify="space-between" wrap="wrap" gap="sm" mb="sm">
              <Title order={2} fz="md">
                {t('incidents.metrics.chartTitle', { metric: t(`incidents.metrics.names.${metric}`) })}
              </Title>
              <Group gap="xs" wrap="wrap">
                <SegmentedControl
                  aria-label={t('incidents.metrics.groupBy')}
                  size="xs"
                  value={group}
                  onChange={(v) => setGroup(v as GroupBy)}
                  data={GROUPS.map((g) => ({ value: g, label: t(`incidents.metrics.by.${g}`) }))}
                />
                <Select
                  aria-label={t('incidents.metrics.metric')}
                  size="xs"
                  data={METRIC_NAMES.map((m) => ({ value: m, label: t(`incidents.metrics.names.${m}`) }))}
                  value={metric}
                  onChange={(v) => v && setMetric(v as MetricName)}
                  allowDeselect={false}
                  w={200}
                  comboboxProps={{ withinPortal: true }}
                />
              </Group>
            </Group>
            {metrics.isPending ? (
              <Skeleton h={200} />
            ) : rows.length === 0 ? (
              <Text c="dimmed" fz="sm">
                {t('incidents.metrics.empty')}
              </Text>
            ) : (
              <>
                <BarChart rows={rows} metric={metric} label={label} fmt={fmt} />
                <Table.ScrollContainer minWidth={560} mt="md">
                  <Table fz="sm" aria-label={t('incidents.metrics.tableLabel')}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t(`incidents.metrics.by.${group}`)}</Table.Th>
                        <Table.Th>{t('incidents.metrics.count')}</Table.Th>
                        {METRIC_NAMES.map((m) => (
                          <Table.Th key={m}>{t(`incidents.metrics.names.${m}`)}</Table.Th>
                        ))}
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {rows.map((r) => (
                        <Table.Tr key={r.key}>
                          <Table.Td>{label(r.key)}</Table.Td>
                          <Table.Td>{r.count}</Table.Td>
                          {METRIC_NAMES.map((m) => (
                            <Table.Td key={m}>
                              {fmt(r.stats[m].median)} / {fmt(r.stats[m].p90)}
                            </Table.Td>
                          ))}
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
                <Text fz="xs" c="dimmed" mt={4}>
                  {t('incidents.metrics.cellHint')}
                </Text>
              </>
            )}
          </Paper>

          <Stack gap="xs">
            <Title order={2} fz="md">
              {t('incidents.map.title')}
            </Title>
            <Suspense fallback={<Skeleton h={320} />}>
              <IncidentMap incidents={located.data?.pages.flatMap((p) => p.items) ?? []} />
            </Suspense>
          </Stack>
        </Stack>
      )}
    </>
  );
}

/** Horizontal bars (median, with the p90 as a lighter bar behind): plain SVG, no chart library to load. */
function BarChart({
  rows,
  metric,
  label,
  fmt,
}: {
  rows: MetricRow[];
  metric: MetricName;
  label: (key: string) => string;
  fmt: (s: number | null) => string;
}) {
  const { t } = useTranslation();
  const max = Math.max(1, ...rows.map((r) => r.stats[metric].p90 ?? r.stats[metric].median ?? 0));
  const barH = 22;
  const gap = 8;
  const labelW = 190;
  const width = 720;
  const height = rows.length * (barH + gap);
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={t('incidents.metrics.chartLabel', { metric: t(`incidents.metrics.names.${metric}`) })}
      style={{ width: '100%', height: 'auto', maxHeight: 520 }}
    >
      {rows.map((r, i) => {
        const y = i * (barH + gap);
        const s = r.stats[metric];
        const scale = (v: number | null) => ((v ?? 0) / max) * (width - labelW - 110);
        return (
          <g key={r.key} transform={`translate(0 ${y})`}>
            <text x={labelW - 8} y={barH / 2 + 4} textAnchor="end" fontSize={12} fill="currentColor">
              {label(r.key).slice(0, 28)}
            </text>
            <rect
              x={labelW}
              y={0}
              width={scale(s.p90)}
              height={barH}
              fill="var(--mantine-primary-color-light)"
              rx={3}
            />
            <rect
              x={labelW}
              y={4}
              width={scale(s.median)}
              height={barH - 8}
              fill="var(--mantine-primary-color-filled)"
              rx={2}
            />
            <text x={labelW + scale(s.p90) + 6} y={barH / 2 + 4} fontSize={11} fill="currentColor">
              {fmt(s.median)} · p90 {fmt(s.p90)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
