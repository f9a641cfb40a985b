import { ActionIcon, Button, Group, Menu, Paper, ScrollArea, Table, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDots, IconMapPin, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Office } from '../../../shared/offices/offices.schemas.ts';
import type { Site } from '../../../shared/sites/sites.schemas.ts';
import { useSession } from '../../app/session.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { LoadMore } from '../../components/load-more.tsx';
import { TableSkeletonRows } from '../../components/skeletons.tsx';
import { SortableTh } from '../../components/sortable-th.tsx';
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
  const sites = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const [formOpened, formHandlers] = useDisclosure(false);
  const [editing, setEditing] = useState<Site | undefined>();
  const [deleting, setDeleting] = useState<Site | undefined>();
  const remove = useDeleteSite(office.id);
  const columns = canWrite ? 7 : 6;

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
      <Paper withBorder radius="md">
        {list.isError && !list.data ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />
        ) : !list.isPending && sites.length === 0 ? (
          <EmptyState
            icon={<IconMapPin size={28} stroke={1.5} aria-hidden />}
            title={t('sites.emptyTitle')}
            description={canWrite ? t('sites.emptyText') : t('sites.emptyTextReader')}
            action={
              canWrite && (
                <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={openNew}>
                  {t('sites.new')}
                </Button>
              )
            }
          />
        ) : (
          <ScrollArea type="auto">
            <Table highlightOnHover miw={760} aria-label={t('sites.title')} aria-busy={list.isFetching}>
              <Table.Thead>
                <Table.Tr>
                  <SortableTh field="name" sort={sort} onSort={setSort}>
                    {t('sites.fields.name')}
                  </SortableTh>
                  <SortableTh field="kind" sort={sort} onSort={setSort}>
                    {t('sites.fields.kind')}
                  </SortableTh>
                  <Table.Th>{t('sites.fields.city')}</Table.Th>
                  <Table.Th>{t('sites.fields.country')}</Table.Th>
                  <Table.Th>{t('sites.fields.coordinates')}</Table.Th>
                  <SortableTh field="createdAt" sort={sort} onSort={setSort}>
                    {t('common.created')}
                  </SortableTh>
                  {canWrite && (
                    <Table.Th w={48}>
                      <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                {list.isPending ? (
                  <TableSkeletonRows columns={columns} rows={3} />
                ) : (
                  sites.map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td>
                        <Text fz="sm" fw={500}>
                          {s.name}
                        </Text>
                        {s.address && (
                          <Text fz="xs" c="dimmed" lineClamp={1}>
                            {s.address}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{t(`sites.kinds.${s.kind}`)}</Table.Td>
                      <Table.Td>{s.city ?? '—'}</Table.Td>
                      <Table.Td>{countryName(s.country, language)}</Table.Td>
                      <Table.Td ff="monospace" fz="xs">
                        {coordinates(s)}
                      </Table.Td>
                      <Table.Td>
                        <Text fz="sm" c="dimmed">
                          {formatDate(s.createdAt, language)}
                        </Text>
                      </Table.Td>
                      {canWrite && (
                        <Table.Td>
                          <Menu position="bottom-end" shadow="md">
                            <Menu.Target>
                              <ActionIcon
                                variant="subtle"
                                color="gray"
                                aria-label={t('sites.actionsFor', { name: s.name })}
                              >
                                <IconDots size={16} aria-hidden />
                              </ActionIcon>
                            </Menu.Target>
                            <Menu.Dropdown>
                              <Menu.Item leftSection={<IconPencil size={14} aria-hidden />} onClick={() => openEdit(s)}>
                                {t('common.edit')}
                              </Menu.Item>
                              <Menu.Item
                                color="red"
                                leftSection={<IconTrash size={14} aria-hidden />}
                                onClick={() => setDeleting(s)}
                              >
                                {t('common.delete')}
                              </Menu.Item>
                            </Menu.Dropdown>
                          </Menu>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        )}
      </Paper>
      {sites.length > 0 && (
        <LoadMore
          shown={sites.length}
          hasMore={Boolean(list.hasNextPage)}
          loading={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
        />
      )}

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
