import { Badge, Box, Button, Group, Tabs } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconClock, IconInfoCircle, IconMapPin, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useOffices } from '../../app/office-context.tsx';
import { useSession } from '../../app/session.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { FormSkeleton } from '../../components/skeletons.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { countryName } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { SitesTab } from '../sites/sites.tab.tsx';
import { OfficeOverviewTab } from './office-overview.tab.tsx';
import { useDeleteOffice, useOffice } from './offices.api.ts';

const TABS = ['overview', 'sites'] as const;
type Tab = (typeof TABS)[number];

export function OfficeRecordPage() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const { id = '', tab: tabParam } = useParams();
  const tab: Tab = TABS.find((x) => x === tabParam) ?? 'overview';
  const navigate = useNavigate();
  const { can } = useSession();
  const { current, select } = useOffices();
  const remove = useDeleteOffice();
  // Once deleted, do not ask for it again on the way out.
  const office = useOffice(id, !remove.isSuccess);
  const [deleteOpened, deleteHandlers] = useDisclosure(false);
  const crumbsRoot = { label: t('modules.offices.name'), to: '/offices' };

  if (office.isPending) {
    return (
      <>
        <PageHeader title={t('common.loading')} breadcrumbs={[crumbsRoot, { label: '…' }]} />
        <FormSkeleton />
      </>
    );
  }
  if (office.isError) {
    const missing = isApiError(office.error) && (office.error.status === 404 || office.error.status === 400);
    return (
      <>
        <PageHeader title={t('offices.title')} breadcrumbs={[crumbsRoot, { label: t('errors.notFound') }]} />
        {missing ? (
          <EmptyState
            title={t('offices.notFoundTitle')}
            description={t('offices.notFoundText')}
            action={
              <Button
                component={Link}
                to="/offices"
                variant="default"
                leftSection={<IconArrowLeft size={16} aria-hidden />}
              >
                {t('offices.backToList')}
              </Button>
            }
          />
        ) : (
          <ErrorState error={office.error} onRetry={() => void office.refetch()} retrying={office.isFetching} />
        )}
      </>
    );
  }

  const o = office.data;
  const isCurrent = current?.id === o.id;
  const confirmDelete = () => {
    remove.mutate(o, {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('offices.deleted', { code: o.code }) });
        deleteHandlers.close();
        void navigate('/offices', { replace: true });
      },
      onError: (error) => {
        if (isApiError(error) && error.isConflict) void office.refetch();
      },
    });
  };

  return (
    <>
      <PageHeader
        title={o.name}
        documentTitle={`${o.code} · ${o.name}`}
        breadcrumbs={[crumbsRoot, { label: o.code }]}
        badges={
          <>
            <Badge variant="light" radius="sm" ff="monospace" tt="none">
              {o.code}
            </Badge>
            {isCurrent && (
              <Badge variant="dot" color="teal" tt="none">
                {t('offices.currentOffice')}
              </Badge>
            )}
          </>
        }
        description={
          <Group gap="md" component="span">
            <span>{o.countries.map((c) => countryName(c, language)).join(', ')}</span>
            <Group gap={4} component="span">
              <IconClock size={14} aria-hidden />
              {o.timezone}
            </Group>
          </Group>
        }
        actions={
          <>
            {!isCurrent && (
              <Button variant="default" onClick={() => select(o.id)}>
                {t('offices.makeCurrent')}
              </Button>
            )}
            {can('office.delete') && (
              <Button
                variant="default"
                color="red"
                leftSection={<IconTrash size={16} aria-hidden />}
                onClick={deleteHandlers.open}
              >
                {t('common.delete')}
              </Button>
            )}
          </>
        }
      />
      <Tabs
        value={tab}
        onChange={(v) => void navigate(v === 'overview' ? `/offices/${o.id}` : `/offices/${o.id}/${v}`)}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="overview" leftSection={<IconInfoCircle size={16} aria-hidden />}>
            {t('offices.tabs.overview')}
          </Tabs.Tab>
          <Tabs.Tab value="sites" leftSection={<IconMapPin size={16} aria-hidden />}>
            {t('offices.tabs.sites')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview">
          <Box>
            <OfficeOverviewTab office={o} />
          </Box>
        </Tabs.Panel>
        <Tabs.Panel value="sites">
          <SitesTab office={o} />
        </Tabs.Panel>
      </Tabs>
      <ConfirmDialog
        opened={deleteOpened}
        onClose={() => {
          deleteHandlers.close();
          remove.reset();
        }}
        onConfirm={confirmDelete}
        title={t('offices.deleteTitle', { code: o.code })}
        message={t('offices.deleteText', { name: o.name })}
        confirmLabel={t('offices.deleteConfirm')}
        danger
        loading={remove.isPending}
        error={remove.error}
      />
    </>
  );
}
