import { Anchor, Badge, Button, Group, Select, Tabs, Text } from '@mantine/core';
import { IconClipboardCheck, IconPlayerPlay, IconPlus, IconTemplate } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { RUN_SORTS, type RunSummary, type TemplateSummary } from '../../../shared/checklists/checklists.schemas.ts';
import { useOffices } from '../../app/office-context.tsx';
import { useSession } from '../../app/session.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { NoAccess } from '../../components/no-access.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RecordTable } from '../../components/record-table.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { useSiteList } from '../sites/sites.api.ts';
import { useOfficeZones } from '../tasks/tasks.api.ts';
import { loc } from './checklist-text.ts';
import { type RunSort, useRuns, useTemplates } from './checklists.api.ts';
import { StartRunModal } from './start-run.modal.tsx';

const TABS = ['runs', 'templates'] as const;
type Tab = (typeof TABS)[number];
const RUN_STATUS_FILTERS = ['all', 'in_progress', 'completed'] as const;

export function ScoreBadge({ run }: { run: Pick<RunSummary, 'status' | 'score' | 'failedCount'> }) {
  const { t } = useTranslation();
  if (run.status !== 'completed') {
    return (
      <Badge color="blue" variant="light" radius="sm" tt="none">
        {t('checklists.runStatus.in_progress')}
      </Badge>
    );
  }
  if (run.score === null) {
    return (
      <Badge color="gray" variant="light" radius="sm" tt="none">
        {t('checklists.runStatus.completed')}
      </Badge>
    );
  }
  const color = run.score >= 90 ? 'teal' : run.score >= 70 ? 'yellow' : 'red';
  return (
    <Badge color={color} variant="light" radius="sm" tt="none">
      {t('checklists.scoreShort', { score: Math.round(run.score) })}
      {run.failedCount ? ` · ${t('checklists.failedCount', { count: run.failedCount })}` : ''}
    </Badge>
  );
}

export function ChecklistsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { current } = useOffices();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((x) => x === params.get('tab')) ?? 'runs';
  const [starting, setStarting] = useState(false);
  const canRun = can('checklist.run');

  if (!can('checklist.read')) return <NoAccess />;

  return (
    <>
      <PageHeader
        title={t('checklists.title')}
        description={t('checklists.description')}
        breadcrumbs={[{ label: t('checklists.title') }]}
        actions={
          canRun &&
          current && (
            <Button leftSection={<IconPlayerPlay size={16} aria-hidden />} onClick={() => setStarting(true)}>
              {t('checklists.start.button')}
            </Button>
          )
        }
      />
      {!current ? (
        <EmptyState title={t('checklists.noOffice')} />
      ) : (
        <Tabs
          value={tab}
          onChange={(v) => setParams(v === 'templates' ? { tab: 'templates' } : {}, { replace: true })}
          keepMounted={false}
        >
          <Tabs.List mb="sm" aria-label={t('checklists.title')}>
            <Tabs.Tab value="runs" leftSection={<IconClipboardCheck size={16} aria-hidden />}>
              {t('checklists.tabs.runs')}
            </Tabs.Tab>
            <Tabs.Tab value="templates" leftSection={<IconTemplate size={16} aria-hidden />}>
              {t('checklists.tabs.templates')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="runs">
            <RunsList officeId={current.id} onStart={canRun ? () => setStarting(true) : undefined} />
          </Tabs.Panel>
          <Tabs.Panel value="templates">
            <TemplatesList officeId={current.id} />
          </Tabs.Panel>
        </Tabs>
      )}
      {current && <StartRunModal officeId={current.id} opened={starting} onClose={() => setStarting(false)} />}
    </>
  );
}

function RunsList({ officeId, onStart }: { officeId: string; onStart: (() => void) | undefined }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const navigate = useNavigate();
  const [sort, setSort] = useState<RunSort>('-startedAt');
  const [status, setStatus] = useState<(typeof RUN_STATUS_FILTERS)[number]>('all');
  const runs = useRuns(officeId, { sort, ...(status === 'all' ? {} : { status }) });
  const sites = useSiteList(officeId, { sort: 'name' }, 200);
  const siteName = useMemo(() => {
    const m = new Map((sites.data?.pages.flatMap((p) => p.items) ?? []).map((s) => [s.id, s.name]));
    return (id: string | null) => (id ? (m.get(id) ?? '—') : '—');
  }, [sites.data]);
  const zone = useOfficeZones(useMemo(() => [officeId], [officeId]))(officeId);

  return (
    <>
      <Group mb="sm">
        <Select
          label={t('checklists.filters.status')}
          data={RUN_STATUS_FILTERS.map((s) => ({ value: s, label: t(`checklists.runStatusFilter.${s}`) }))}
          value={status}
          onChange={(s) => setStatus(RUN_STATUS_FILTERS.find((x) => x === s) ?? 'all')}
          allowDeselect={false}
          w={200}
          comboboxProps={{ withinPortal: true }}
        />
      </Group>
      <RecordTable<RunSummary, RunSort>
        label={t('checklists.tabs.runs')}
        query={runs}
        sort={sort}
        onSort={(s) => setSort(RUN_SORTS.find((x) => x === s) ?? '-startedAt')}
        minWidth={720}
        onRowClick={(r) => navigate(`/inspections/runs/${r.id}`)}
        columns={[
          {
            key: 'title',
            header: t('checklists.fields.checklist'),
            cell: (r) => (
              <Anchor
                component={Link}
                to={`/inspections/runs/${r.id}`}
                fz="sm"
                fw={500}
                onClick={(e) => e.stopPropagation()}
              >
                {loc(r.title, r.titleFr)}
              </Anchor>
            ),
          },
          { key: 'site', header: t('checklists.fields.site'), cell: (r) => r.location ?? siteName(r.siteId) },
          { key: 'performedBy', header: t('checklists.fields.performedBy'), cell: (r) => r.performedBy },
          {
            key: 'startedAt',
            sortField: 'startedAt',
            header: t('checklists.fields.startedAt'),
            cell: (r) => (
              <Text fz="sm" c="dimmed">
                {formatDateTime(r.startedAt, language, zone)}
              </Text>
            ),
          },
          { key: 'result', header: t('checklists.fields.result'), cell: (r) => <ScoreBadge run={r} /> },
        ]}
        empty={{
          icon: <IconClipboardCheck size={28} stroke={1.5} aria-hidden />,
          title: t('checklists.emptyRuns'),
          description: t('checklists.emptyRunsText'),
          action: onStart && (
            <Button leftSection={<IconPlayerPlay size={16} aria-hidden />} onClick={onStart}>
              {t('checklists.start.button')}
            </Button>
          ),
        }}
      />
    </>
  );
}

function TemplatesList({ officeId }: { officeId: string }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const navigate = useNavigate();
  const { can } = useSession();
  const templates = useTemplates(officeId);
  const canManage = can('checklist.manage');

  return (
    <>
      {canManage && (
        <Group justify="flex-end" mb="sm">
          <Button
            component={Link}
            to="/inspections/templates/new"
            variant="default"
            leftSection={<IconPlus size={16} aria-hidden />}
          >
            {t('checklists.templates.new')}
          </Button>
        </Group>
      )}
      <RecordTable<TemplateSummary, never>
        label={t('checklists.tabs.templates')}
        query={templates}
        minWidth={640}
        onRowClick={(x) => navigate(`/inspections/templates/${x.id}`)}
        columns={[
          {
            key: 'name',
            header: t('checklists.templates.name'),
            cell: (x) => (
              <>
                <Anchor
                  component={Link}
                  to={`/inspections/templates/${x.id}`}
                  fz="sm"
                  fw={500}
                  onClick={(e) => e.stopPropagation()}
                >
                  {loc(x.name, x.nameFr)}
                </Anchor>
                {x.description && (
                  <Text fz="xs" c="dimmed" lineClamp={1}>
                    {x.description}
                  </Text>
                )}
              </>
            ),
          },
          {
            key: 'scope',
            header: t('checklists.templates.scope'),
            cell: (x) => (
              <Badge variant="light" color={x.officeId ? 'blue' : 'grape'} radius="sm" tt="none">
                {x.officeId ? t('checklists.templates.office') : t('checklists.templates.global')}
              </Badge>
            ),
          },
          { key: 'items', header: t('checklists.templates.items'), cell: (x) => x.itemCount },
          {
            key: 'version',
            header: t('checklists.templates.version'),
            cell: (x) => (
              <Text fz="sm" c="dimmed">
                {t('checklists.templates.versionN', { n: x.templateVersion })} · {formatDateTime(x.updatedAt, language)}
              </Text>
            ),
          },
        ]}
        empty={{
          icon: <IconTemplate size={28} stroke={1.5} aria-hidden />,
          title: t('checklists.templates.none'),
        }}
      />
    </>
  );
}
