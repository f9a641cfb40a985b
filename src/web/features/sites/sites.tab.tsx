import { Button, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconMapPin, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Office } from '../../../shared/offices/offices.schemas.ts';
import type { Site } from '../../../shared/sites/sites.schemas.ts';
import { useSession } from '../../app/session.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { RecordTable } from '../../components/record-table.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { countryName, formatDate } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { SiteFormModal } from './site-form.modal.tsx';
import { type SiteSort, useDeleteSite, useSiteList } from './sites.api.ts';

function coordinates(site: Site): string {
  if (site.latitude == null || site.longitude == null) return '—';
  return `${site.latitude.toFixed(4)}, ${site.longitude.toFixed(4)}`;
}

/** The office's sites: premises, residence compounds, warehouses. */
export function SitesTab({ office }: { office: Office }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const { can } = useSession();
  const canWrite = can('site.write');
  const [sort, setSort] = useState<SiteSort>('name');
  const list = useSiteList(office.id, { sort });
  const [formOpened, formHandlers] = useDisclosure(false);
  const [editing, setEditing] = useState<Site | undefined>();
  const [deleting, setDeleting] = useState<Site | undefined>();
  const remove = useDeleteSite(office.id);

  const openNew = () => {
    setEditing(undefined);
    formHandlers.open();
  };
  const openEdit = (site: Site) => {
    setEditing(site);
    formHandlers.open();
  };
  const closeDelete = () => {
    setDeleting(undefined);
    remove.reset();
  };
  const confirmDelete = () => {
    if (!deleting) return;
    remove.mutate(deleting, {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('sites.deleted', { name: deleting.name }) });
        closeDelete();
      },
      onError: (error) => {
        if (isApiError(error) && error.isConflict) {
          notifications.show({
            color: 'orange',
            title: t('sites.conflict.title'),
            message: t('sites.conflict.deleteText'),
          });
          closeDelete();
        }
      },
    });
  };

  return (
    <>
      <Group justify="space-between" mb="sm">
        <Text fz="sm" c="dimmed">
          {t('sites.description')}
        </Text>
        {canWrite && (
          <Button size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={openNew}>
            {t('sites.new')}
          </Button>
        )}
      </Group>
      <RecordTable<Site, SiteSort>
        label={t('sites.title')}
        query={list}
        sort={sort}
        onSort={setSort}
        minWidth={760}
        columns={[
          {
            key: 'name',
            sortField: 'name',
            header: t('sites.fields.name'),
            cell: (s) => (
              <>
                <Text fz="sm" fw={500}>
                  {s.name}
                </Text>
                {s.address && (
                  <Text fz="xs" c="dimmed" lineClamp={1}>
                    {s.address}
                  </Text>
                )}
              </>
            ),
          },
          { key: 'kind', sortField: 'kind', header: t('sites.fields.kind'), cell: (s) => t(`sites.kinds.${s.kind}`) },
          { key: 'city', header: t('sites.fields.city'), cell: (s) => s.city ?? '—' },
          { key: 'country', header: t('sites.fields.country'), cell: (s) => countryName(s.country, language) },
          {
            key: 'coordinates',
            header: t('sites.fields.coordinates'),
            cell: coordinates,
            cellProps: { ff: 'monospace', fz: 'xs' },
          },
          {
            key: 'createdAt',
            sortField: 'createdAt',
            header: t('common.created'),
            cell: (s) => (
              <Text fz="sm" c="dimmed">
                {formatDate(s.createdAt, language)}
              </Text>
            ),
          },
        ]}
        empty={{
          icon: <IconMapPin size={28} stroke={1.5} aria-hidden />,
          title: t('sites.emptyTitle'),
          description: canWrite ? t('sites.emptyText') : t('sites.emptyTextReader'),
          action: canWrite && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={openNew}>
              {t('sites.new')}
            </Button>
          ),
        }}
        actionsLabel={(s) => t('sites.actionsFor', { name: s.name })}
        actions={
          canWrite
            ? [
                { key: 'edit', label: t('common.edit'), icon: <IconPencil size={14} aria-hidden />, onClick: openEdit },
                {
                  key: 'delete',
                  label: t('common.delete'),
                  color: 'red',
                  icon: <IconTrash size={14} aria-hidden />,
                  onClick: setDeleting,
                },
              ]
            : []
        }
      />

      <SiteFormModal
        officeId={office.id}
        officeCountries={office.countries}
        site={editing}
        opened={formOpened}
        onClose={formHandlers.close}
      />
      <ConfirmDialog
        opened={Boolean(deleting)}
        onClose={closeDelete}
        onConfirm={confirmDelete}
        title={t('sites.deleteTitle')}
        message={t('sites.deleteText', { name: deleting?.name ?? '' })}
        confirmLabel={t('sites.deleteConfirm')}
        danger
        loading={remove.isPending}
        error={isApiError(remove.error) && remove.error.isConflict ? undefined : remove.error}
      />
    </>
  );
}
