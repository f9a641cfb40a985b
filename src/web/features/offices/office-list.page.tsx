import {
  Anchor,
  Badge,
  Button,
  CloseButton,
  Group,
  Paper,
  ScrollArea,
  Select,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconBuilding, IconPlus, IconSearch } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { OFFICE_SORTS } from '../../../shared/offices/offices.schemas.ts';
import { useSession } from '../../app/session.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { LoadMore } from '../../components/load-more.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { TableSkeletonRows } from '../../components/skeletons.tsx';
import { SortableTh } from '../../components/sortable-th.tsx';
import { countryName, countryOptions, formatDate } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { CreateOfficeModal } from './create-office.modal.tsx';
import { type OfficeSort, useOfficeList } from './offices.api.ts';

const COLUMNS = 5;

function isOfficeSort(value: string | null): value is OfficeSort {
  return value !== null && (OFFICE_SORTS as readonly string[]).includes(value);
}

export function OfficeListPage() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const { can } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [creating, creatingHandlers] = useDisclosure(params.get('new') === '1');

  const sortParam = params.get('sort');
  const sort: OfficeSort = isOfficeSort(sortParam) ? sortParam : 'code';
  const country = params.get('country') ?? undefined;
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 300);

  // Keep filters in the URL so a list can be shared and survives a reload.
  const update = (changes: Record<string, string | undefined>) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced text drives the URL
  useEffect(() => {
    if ((params.get('q') ?? '') !== q) update({ q: q || undefined });
  }, [q]);

  const filters = { sort, q: q || undefined, country };
  const list = useOfficeList(filters);
  const offices = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const filtered = Boolean(q || country);
  const countries = useMemo(() => countryOptions(language), [language]);
  const canCreate = can('office.create');

  const clearFilters = () => {
    setSearch('');
    update({ q: undefined, country: undefined });
  };

  return (
    <>
      <PageHeader
        title={t('offices.title')}
        description={t('offices.description')}
        breadcrumbs={[{ label: t('modules.offices.name') }]}
        actions={
          canCreate && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={creatingHandlers.open}>
              {t('offices.new')}
            </Button>
          )
        }
      />

      <Group gap="xs" mb="sm" wrap="wrap" role="search" aria-label={t('offices.filters')}>
        <TextInput
          aria-label={t('offices.search')}
          placeholder={t('offices.searchPlaceholder')}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          rightSection={
            search ? <CloseButton size="sm" aria-label={t('common.clearSearch')} onClick={() => setSearch('')} /> : null
          }
          w={{ base: '100%', xs: 280 }}
        />
        <Select
          aria-label={t('offices.filterCountry')}
          placeholder={t('offices.anyCountry')}
          data={countries}
          value={country ?? null}
          onChange={(v) => update({ country: v ?? undefined })}
          searchable
          clearable
          nothingFoundMessage={t('common.nothingFound')}
          w={{ base: '100%', xs: 240 }}
          comboboxProps={{ withinPortal: true }}
        />
        {filtered && (
          <Button variant="subtle" color="gray" size="xs" onClick={clearFilters}>
            {t('common.clearFilters')}
          </Button>
        )}
      </Group>

      <Paper withBorder radius="md">
        {list.isError && !list.data ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />
        ) : !list.isPending && offices.length === 0 ? (
          filtered ? (
            <EmptyState
              icon={<IconSearch size={28} stroke={1.5} aria-hidden />}
              title={t('offices.noMatchTitle')}
              description={t('offices.noMatchText')}
              action={
                <Button variant="default" onClick={clearFilters}>
                  {t('common.clearFilters')}
                </Button>
              }
            />
          ) : (
            <EmptyState
              icon={<IconBuilding size={28} stroke={1.5} aria-hidden />}
              title={t('offices.emptyTitle')}
              description={canCreate ? t('offices.emptyText') : t('offices.emptyTextReader')}
              action={
                canCreate && (
                  <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={creatingHandlers.open}>
                    {t('offices.new')}
                  </Button>
                )
              }
            />
          )
        ) : (
          <ScrollArea type="auto">
            <Table highlightOnHover miw={720} aria-busy={list.isFetching} aria-label={t('offices.title')}>
              <Table.Thead>
                <Table.Tr>
                  <SortableTh field="code" sort={sort} onSort={(s) => update({ sort: s })} w={110}>
                    {t('offices.fields.code')}
                  </SortableTh>
                  <SortableTh field="name" sort={sort} onSort={(s) => update({ sort: s })}>
                    {t('offices.fields.name')}
                  </SortableTh>
                  <Table.Th>{t('offices.fields.countries')}</Table.Th>
                  <Table.Th>{t('offices.fields.timezone')}</Table.Th>
                  <SortableTh field="createdAt" sort={sort} onSort={(s) => update({ sort: s })} w={140}>
                    {t('common.created')}
                  </SortableTh>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                {list.isPending ? (
                  <TableSkeletonRows columns={COLUMNS} />
                ) : (
                  offices.map((o) => (
                    <Table.Tr key={o.id} className="row-link" onClick={() => void navigate(`/offices/${o.id}`)}>
                      <Table.Td>
                        <Anchor
                          component={Link}
                          to={`/offices/${o.id}`}
                          fw={600}
                          ff="monospace"
                          fz="sm"
                          onClick={(e) => e.stopPropagation()}
                        >
                          {o.code}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{o.name}</Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {o.countries.map((c) => (
                            <Badge
                              key={c}
                              variant="light"
                              color="gray"
                              radius="sm"
                              tt="none"
                              title={countryName(c, language)}
                            >
                              {c}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text fz="sm">{o.timezone}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text fz="sm" c="dimmed">
                          {formatDate(o.createdAt, language)}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        )}
      </Paper>
      {offices.length > 0 && (
        <LoadMore
          shown={offices.length}
          hasMore={Boolean(list.hasNextPage)}
          loading={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
        />
      )}
      {list.isFetchNextPageError && (
        <Text role="alert" c="red" fz="sm" mt="xs">
          {t('table.loadMoreFailed')}
        </Text>
      )}

      {canCreate && <CreateOfficeModal opened={creating} onClose={creatingHandlers.close} />}
    </>
  );
}
