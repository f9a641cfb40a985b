import {
  Anchor,
  Badge,
  Button,
  Group,
  Menu,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconBell,
  IconBookmark,
  IconChartBar,
  IconChevronDown,
  IconLayoutKanban,
  IconList,
  IconPhoneCall,
  IconPlus,
  IconTags,
  IconTrash,
} from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import {
  INCIDENT_DETERMINATIONS,
  INCIDENT_DOMAINS,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  type IncidentStatus,
} from '../../../shared/incidents/incidents.enums.ts';
import { useOffices } from '../../app/office-context.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { LoadMore } from '../../components/load-more.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RecordTable } from '../../components/record-table.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { readStored, writeStored } from '../../lib/storage.ts';
import { IncidentFormModal } from './incident-form.modal.tsx';
import {
  categoryLabel,
  INCIDENT_STATUS_COLOR,
  IncidentStatusBadge,
  SensitiveMark,
  SeverityBadge,
} from './incident-ui.tsx';
import { type IncidentFilters, type IncidentSummary, useCategories, useIncidentList } from './incidents.api.ts';

/** The filters kept in the address bar (and in saved views). */
const FILTER_KEYS = [
  'officeId',
  'status',
  'severity',
  'domain',
  'category',
  'determination',
  'reportedFrom',
  'reportedTo',
  'q',
  'mine',
  'sort',
] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type SavedView = { name: string; filters: Partial<Record<FilterKey, string>> };

const SORTS = ['-reportedAt', 'reportedAt', '-severity', 'severity', 'status', 'reference', '-reference'] as const;
const BOARD_STATUSES: readonly IncidentStatus[] = [
  'reported',
  'triaged',
  'investigating',
  'contained',
  'awaiting_external',
  'resolved',
  'closed',
];

function viewsKey(userId: string) {
  return `outpost.incidents.views.${userId}`;
}

function loadViews(userId: string): SavedView[] {
  try {
    const parsed = JSON.parse(readStored(viewsKey(userId)) ?? '[]') as unknown;
    return Array.isArray(parsed)
      ? parsed.filter((v): v is SavedView => typeof v?.name === 'string' && typeof v?.filters === 'object')
      : [];
  } catch {
    return [];
  }
}

/** Day `YYYY-MM-DD` → the instant it starts (or ends) in the browser's zone. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00`);
  if (end) d.setDate(d.getDate() + 1);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function IncidentsPage() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const { offices, current } = useOffices();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [views, setViews] = useState<SavedView[]>(() => loadViews(me.userId));
  const [naming, setNaming] = useState(false);
  const [viewName, setViewName] = useState('');
  const [creating, setCreating] = useState<'full' | 'phone' | undefined>();
  const canRead = can('incident.read');
  const canWrite = can('incident.write');
  const layout = params.get('layout') === 'board' ? 'board' : 'list';
  const language = currentLanguage();

  const get = (k: FilterKey) => params.get(k) ?? '';
  const update = (changes: Partial<Record<FilterKey | 'layout', string | undefined>>) => {
    setParams(
      () => {
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

  const filters = useMemo<IncidentFilters>(() => {
    // Values from the address bar go as typed: the server checks them and answers a clear 400.
    const f: Record<string, string> = { sort: params.get('sort') || '-reportedAt' };
    for (const k of ['officeId', 'severity', 'domain', 'category', 'determination', 'q'] as const) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    const status = params.get('status');
    if (layout === 'list' && status) f.status = status;
    const mine = params.get('mine');
    if (mine === 'reported' || mine === 'owned') f.mine = mine;
    else if (!canRead) f.mine = 'reported';
    const from = dayBound(params.get('reportedFrom') ?? '', false);
    const to = dayBound(params.get('reportedTo') ?? '', true);
    if (from) f.reportedFrom = from;
    if (to) f.reportedTo = to;
    return f as IncidentFilters;
  }, [params, layout, canRead]);

  const query = useIncidentList(filters, true, layout === 'board' ? 200 : 50);
  const categories = useCategories(filters.officeId ?? current?.id);
  const officeCode = (id: string) => offices.find((o) => o.id === id)?.code ?? '';

  const saveView = () => {
    const name = viewName.trim();
    if (!name) return;
    const filtersNow: SavedView['filters'] = {};
    for (const k of FILTER_KEYS) {
      const v = params.get(k);
      if (v) filtersNow[k] = v;
    }
    const next = [...views.filter((v) => v.name !== name), { name, filters: filtersNow }];
    setViews(next);
    writeStored(viewsKey(me.userId), JSON.stringify(next));
    setNaming(false);
    setViewName('');
  };
  const applyView = (view: SavedView) => {
    const changes: Partial<Record<FilterKey, string | undefined>> = {};
    for (const k of FILTER_KEYS) changes[k] = view.filters[k];
    update(changes);
  };
  const deleteView = (name: string) => {
    const next = views.filter((v) => v.name !== name);
    setViews(next);
    writeStored(viewsKey(me.userId), JSON.stringify(next));
  };

  const anyFilter = FILTER_KEYS.some((k) => k !== 'sort' && params.get(k));

  return (
    <>
      <PageHeader
        title={t('incidents.title')}
        description={t('incidents.description')}
        breadcrumbs={[{ label: t('incidents.title') }]}
        actions={
          <Group gap="xs">
            <Button component={Link} to="/incidents/report" variant={canWrite ? 'default' : 'filled'} color="red">
              {t('incidents.quick.title')}
            </Button>
            {canRead && (
              <Button
                component={Link}
                to="/incidents/metrics"
                variant="default"
                leftSection={<IconChartBar size={16} aria-hidden />}
              >
                {t('incidents.metrics.title')}
              </Button>
            )}
            {canRead && (
              <Button
                component={Link}
                to="/incidents/escalations"
                variant="default"
                leftSection={<IconBell size={16} aria-hidden />}
              >
                {t('incidents.escalationPage.title')}
              </Button>
            )}
            {can('incident.manage') && (
              <Button
                component={Link}
                to="/incidents/categories"
                variant="default"
                leftSection={<IconTags size={16} aria-hidden />}
              >
                {t('incidents.categories.crumb')}
              </Button>
            )}
            {canWrite && current && (
              <Menu position="bottom-end" shadow="md">
                <Menu.Target>
                  <Button
                    leftSection={<IconPlus size={16} aria-hidden />}
                    rightSection={<IconChevronDown size={14} aria-hidden />}
                  >
                    {t('incidents.new')}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating('full')}>
                    {t('incidents.form.newFull')}
                  </Menu.Item>
                  <Menu.Item leftSection={<IconPhoneCall size={16} aria-hidden />} onClick={() => setCreating('phone')}>
                    {t('incidents.form.newPhone')}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
        }
      />

      <Paper withBorder radius="md" p="sm" mb="sm">
        <search aria-label={t('incidents.filters.label')}>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
            <TextInput
              label={t('incidents.filters.search')}
              placeholder={t('incidents.filters.searchHint')}
              defaultValue={get('q')}
              key={`q-${get('q')}`}
              onBlur={(e) => update({ q: e.currentTarget.value.trim() || undefined })}
              onKeyDown={(e) => {
                if (e.key === 'Enter') update({ q: e.currentTarget.value.trim() || undefined });
              }}
            />
            {offices.length > 1 && (
              <Select
                label={t('incidents.fields.office')}
                placeholder={t('incidents.filters.any')}
                data={offices.map((o) => ({ value: o.id, label: o.code }))}
                value={get('officeId') || null}
                onChange={(v) => update({ officeId: v ?? undefined })}
                clearable
                comboboxProps={{ withinPortal: true }}
              />
            )}
            {layout === 'list' && (
              <Select
                label={t('incidents.fields.status')}
                placeholder={t('incidents.filters.any')}
                data={[
                  { value: 'open', label: t('incidents.filters.open') },
                  ...INCIDENT_STATUSES.map((s) => ({ value: s, label: t(`incidents.status.${s}`) })),
                ]}
                value={get('status') || null}
                onChange={(v) => update({ status: v ?? undefined })}
                clearable
                comboboxProps={{ withinPortal: true }}
              />
            )}
            <Select
              label={t('incidents.fields.severity')}
              placeholder={t('incidents.filters.any')}
              data={INCIDENT_SEVERITIES.map((s) => ({
                value: String(s),
                label: `${s} · ${t(`incidents.severity.name.${String(s) as '1'}`)}`,
              }))}
              value={get('severity') || null}
              onChange={(v) => update({ severity: v ?? undefined })}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label={t('incidents.fields.domain')}
              placeholder={t('incidents.filters.any')}
              data={INCIDENT_DOMAINS.map((d) => ({ value: d, label: t(`incidents.domain.${d}`) }))}
              value={get('domain') || null}
              onChange={(v) => update({ domain: v ?? undefined })}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label={t('incidents.fields.category')}
              placeholder={t('incidents.filters.any')}
              data={(categories.data ?? []).map((c) => ({
                value: c.code,
                label: categoryLabel(c.code, categories.data),
              }))}
              value={get('category') || null}
              onChange={(v) => update({ category: v ?? undefined })}
              clearable
              searchable
              nothingFoundMessage={t('common.nothingFound')}
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label={t('incidents.fields.determination')}
              placeholder={t('incidents.filters.any')}
              data={INCIDENT_DETERMINATIONS.map((d) => ({ value: d, label: t(`incidents.determination.${d}`) }))}
              value={get('determination') || null}
              onChange={(v) => update({ determination: v ?? undefined })}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              type="date"
              label={t('incidents.filters.reportedFrom')}
              value={get('reportedFrom')}
              onChange={(e) => update({ reportedFrom: e.currentTarget.value || undefined })}
            />
            <TextInput
              type="date"
              label={t('incidents.filters.reportedTo')}
              value={get('reportedTo')}
              onChange={(e) => update({ reportedTo: e.currentTarget.value || undefined })}
            />
            {canRead && (
              <Select
                label={t('incidents.filters.mine')}
                placeholder={t('incidents.filters.everyone')}
                data={[
                  { value: 'reported', label: t('incidents.filters.mineReported') },
                  { value: 'owned', label: t('incidents.filters.mineOwned') },
                ]}
                value={get('mine') || null}
                onChange={(v) => update({ mine: v ?? undefined })}
                clearable
                comboboxProps={{ withinPortal: true }}
              />
            )}
            <Select
              label={t('incidents.filters.sort')}
              data={SORTS.map((s) => ({ value: s, label: t(`incidents.sort.${s}`) }))}
              value={get('sort') || '-reportedAt'}
              onChange={(v) => update({ sort: v && v !== '-reportedAt' ? v : undefined })}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
          </SimpleGrid>
        </search>
        <Group justify="space-between" mt="sm" gap="xs" wrap="wrap">
          <Group gap="xs" wrap="wrap">
            <Menu position="bottom-start" shadow="md">
              <Menu.Target>
                <Button
                  variant="default"
                  size="xs"
                  leftSection={<IconBookmark size={14} aria-hidden />}
                  rightSection={<IconChevronDown size={12} aria-hidden />}
                >
                  {t('incidents.views.saved')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {views.length === 0 && <Menu.Label>{t('incidents.views.none')}</Menu.Label>}
                {views.map((v) => (
                  <Menu.Item key={v.name} onClick={() => applyView(v)}>
                    {v.name}
                  </Menu.Item>
                ))}
                <Menu.Divider />
                <Menu.Item leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setNaming(true)}>
                  {t('incidents.views.save')}
                </Menu.Item>
                {views.map((v) => (
                  <Menu.Item
                    key={`del-${v.name}`}
                    color="red"
                    leftSection={<IconTrash size={14} aria-hidden />}
                    onClick={() => deleteView(v.name)}
                  >
                    {t('incidents.views.delete', { name: v.name })}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
            {anyFilter && (
              <Button
                variant="subtle"
                size="xs"
                color="gray"
                onClick={() => update(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])))}
              >
                {t('common.clearFilters')}
              </Button>
            )}
          </Group>
          <SegmentedControl
            aria-label={t('incidents.layout.label')}
            value={layout}
            onChange={(l) => update({ layout: l === 'list' ? undefined : l })}
            data={[
              {
                value: 'list',
                label: (
                  <Group gap={6} wrap="nowrap">
                    <IconList size={16} aria-hidden />
                    <span>{t('incidents.layout.list')}</span>
                  </Group>
                ),
              },
              {
                value: 'board',
                label: (
                  <Group gap={6} wrap="nowrap">
                    <IconLayoutKanban size={16} aria-hidden />
                    <span>{t('incidents.layout.board')}</span>
                  </Group>
                ),
              },
            ]}
          />
        </Group>
      </Paper>

      {layout === 'board' ? (
        <IncidentBoard query={query} />
      ) : (
        <RecordTable<IncidentSummary, string>
          label={t('incidents.title')}
          query={query}
          minWidth={980}
          sort={get('sort') || '-reportedAt'}
          onSort={(s) => update({ sort: s === '-reportedAt' ? undefined : s })}
          onRowClick={(row) => navigate(`/incidents/${row.id}`)}
          columns={[
            {
              key: 'reference',
              sortField: 'reference',
              header: t('incidents.fields.reference'),
              width: 150,
              cellProps: { ff: 'monospace', fz: 'sm' },
              cell: (r) => r.reference,
            },
            {
              key: 'title',
              header: t('incidents.fields.title'),
              cell: (r) => (
                <Group gap={6} wrap="nowrap">
                  {r.sensitive && <SensitiveMark />}
                  <Anchor
                    component={Link}
                    to={`/incidents/${r.id}`}
                    fz="sm"
                    fw={500}
                    lineClamp={2}
                    onClick={(e) => e.stopPropagation()}
                  >
                    {r.title}
                  </Anchor>
                </Group>
              ),
            },
            {
              key: 'severity',
              sortField: 'severity',
              width: 140,
              header: t('incidents.fields.severity'),
              cell: (r) => <SeverityBadge severity={r.severity} />,
            },
            {
              key: 'status',
              sortField: 'status',
              width: 150,
              header: t('incidents.fields.status'),
              cell: (r) => <IncidentStatusBadge status={r.status} />,
            },
            {
              key: 'category',
              header: t('incidents.fields.category'),
              cell: (r) => (
                <Stack gap={0}>
                  <Text fz="sm">{categoryLabel(r.category, categories.data)}</Text>
                  <Text fz="xs" c="dimmed">
                    {t(`incidents.domain.${r.domain}`)}
                  </Text>
                </Stack>
              ),
            },
            {
              key: 'office',
              header: t('incidents.fields.office'),
              cell: (r) => <Text fz="sm">{officeCode(r.officeId)}</Text>,
            },
            {
              key: 'reportedAt',
              sortField: 'reportedAt',
              header: t('incidents.fields.reportedAt'),
              cell: (r) => (
                <Text fz="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(r.reportedAt, language)}
                </Text>
              ),
            },
          ]}
          empty={{
            icon: <IconAlertTriangle size={28} stroke={1.5} aria-hidden />,
            title: anyFilter ? t('incidents.empty.filtered') : t('incidents.empty.title'),
            description: t('incidents.empty.description'),
          }}
        />
      )}

      <Modal
        opened={naming}
        onClose={() => setNaming(false)}
        title={t('incidents.views.save')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            saveView();
          }}
        >
          <Stack>
            <TextInput
              label={t('incidents.views.name')}
              value={viewName}
              onChange={(e) => setViewName(e.currentTarget.value)}
              maxLength={60}
              data-autofocus
              required
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setNaming(false)}>
                {t('common.cancel')}
              </Button>
              <SubmitButton>{t('common.save')}</SubmitButton>
            </Group>
          </Stack>
        </form>
      </Modal>

      {current && creating && (
        <IncidentFormModal
          officeId={current.id}
          mode={creating}
          opened
          onClose={() => setCreating(undefined)}
          onCreated={(i) => navigate(`/incidents/${i.id}`)}
        />
      )}
    </>
  );
}

type ListQuery = ReturnType<typeof useIncidentList>;

/** Incidents as cards in status columns (read-only: the incident page changes the status). */
function IncidentBoard({ query }: { query: ListQuery }) {
  const { t } = useTranslation();
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  if (query.isError && !query.data) {
    return (
      <Paper withBorder radius="md">
        <ErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      </Paper>
    );
  }
  return (
    <>
      <div style={{ overflowX: 'auto' }}>
        <Group align="flex-start" wrap="nowrap" gap="sm" pb="sm" aria-busy={query.isFetching}>
          {BOARD_STATUSES.map((status) => {
            const cards = rows.filter((r) => r.status === status);
            const headingId = `incident-board-${status}`;
            return (
              <Paper
                key={status}
                component="section"
                aria-labelledby={headingId}
                withBorder
                radius="md"
                p="xs"
                w={240}
                miw={240}
                bg="var(--mantine-color-default-hover)"
                style={{ borderTop: `3px solid var(--mantine-color-${INCIDENT_STATUS_COLOR[status]}-filled)` }}
              >
                <Group justify="space-between" mb="xs" px={4}>
                  <Title order={2} fz="sm" id={headingId}>
                    {t(`incidents.status.${status}`)}
                  </Title>
                  <Badge variant="default" radius="sm">
                    {cards.length}
                  </Badge>
                </Group>
                <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
                  {cards.map((r) => (
                    <Paper component="li" key={r.id} withBorder radius="md" p="sm" shadow="xs">
                      <Group gap={6} wrap="nowrap" align="flex-start">
                        {r.sensitive && <SensitiveMark />}
                        <Anchor component={Link} to={`/incidents/${r.id}`} fz="sm" fw={500} lineClamp={3}>
                          {r.title}
                        </Anchor>
                      </Group>
                      <Group gap={6} mt={6}>
                        <SeverityBadge severity={r.severity} />
                      </Group>
                      <Text fz="xs" c="dimmed" mt={4} ff="monospace">
                        {r.reference}
                      </Text>
                    </Paper>
                  ))}
                  {cards.length === 0 && !query.isPending && (
                    <Text fz="xs" c="dimmed" ta="center" py="md">
                      {t('incidents.board.empty')}
                    </Text>
                  )}
                </Stack>
              </Paper>
            );
          })}
        </Group>
      </div>
      {rows.length > 0 && (
        <LoadMore
          shown={rows.length}
          hasMore={Boolean(query.hasNextPage)}
          loading={query.isFetchingNextPage}
          onLoadMore={() => void query.fetchNextPage()}
        />
      )}
    </>
  );
}
