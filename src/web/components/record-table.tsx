import { ActionIcon, Menu, Paper, ScrollArea, Table, VisuallyHidden } from '@mantine/core';
import { IconDots } from '@tabler/icons-react';
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from './empty-state.tsx';
import { ErrorState } from './error-state.tsx';
import { LoadMore } from './load-more.tsx';
import { TableSkeletonRows } from './skeletons.tsx';
import { SortableTh } from './sortable-th.tsx';

export interface RecordColumn<T> {
  key: string;
  header: ReactNode;
  /** The API's sort field when the column sorts on the server. */
  sortField?: string;
  width?: number | string;
  cell: (row: T) => ReactNode;
  /** Extra props for the cell, e.g. `{ ff: 'monospace' }`. */
  cellProps?: Record<string, unknown>;
}

export interface RecordAction<T> {
  key: string;
  label: ReactNode;
  icon?: ReactNode;
  color?: string;
  onClick: (row: T) => void;
  hidden?: (row: T) => boolean;
}

interface RecordTableProps<T extends { id: string }, S extends string> {
  /** Names the table for assistive technology. */
  label: string;
  /** A cursor-paginated list query (`useInfiniteQuery` over `{ items, nextCursor }` pages). */
  query: UseInfiniteQueryResult<InfiniteData<{ items: T[]; nextCursor?: string | null }>, Error>;
  columns: RecordColumn<T>[];
  sort?: S;
  onSort?: (sort: S) => void;
  empty: { icon?: ReactNode; title: ReactNode; description?: ReactNode; action?: ReactNode };
  /** Row menu entries; the menu is left out when there are none. */
  actions?: RecordAction<T>[];
  /** The accessible name of a row's menu button, e.g. "Actions for Main office". */
  actionsLabel?: (row: T) => string;
  minWidth?: number;
  onRowClick?: (row: T) => void;
}

/**
 * The one shape of a server-paginated list: error with retry, empty state, skeleton rows while loading,
 * sortable headers, a row menu, and "load more". Lists across modules look and behave the same.
 */
export function RecordTable<T extends { id: string }, S extends string>(props: RecordTableProps<T, S>) {
  const { label, query, columns, sort, onSort, empty, actions = [], actionsLabel, minWidth = 640, onRowClick } = props;
  const { t } = useTranslation();
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const withMenu = actions.length > 0;
  const columnCount = columns.length + (withMenu ? 1 : 0);

  return (
    <>
      <Paper withBorder radius="md">
        {query.isError && !query.data ? (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
        ) : !query.isPending && rows.length === 0 ? (
          <EmptyState icon={empty.icon} title={empty.title} description={empty.description} action={empty.action} />
        ) : (
          <ScrollArea type="auto">
            <Table highlightOnHover miw={minWidth} aria-label={label} aria-busy={query.isFetching}>
              <Table.Thead>
                <Table.Tr>
                  {columns.map((c) =>
                    c.sortField && sort !== undefined && onSort ? (
                      <SortableTh key={c.key} field={c.sortField} sort={sort} onSort={onSort} w={c.width}>
                        {c.header}
                      </SortableTh>
                    ) : (
                      <Table.Th key={c.key} w={c.width}>
                        {c.header}
                      </Table.Th>
                    ),
                  )}
                  {withMenu && (
                    <Table.Th w={48}>
                      <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ opacity: query.isPlaceholderData ? 0.6 : 1 }}>
                {query.isPending ? (
                  <TableSkeletonRows columns={columnCount} rows={3} />
                ) : (
                  rows.map((row) => (
                    <Table.Tr
                      key={row.id}
                      onClick={onRowClick ? () => onRowClick(row) : undefined}
                      style={onRowClick ? { cursor: 'pointer' } : undefined}
                    >
                      {columns.map((c) => (
                        <Table.Td key={c.key} {...c.cellProps}>
                          {c.cell(row)}
                        </Table.Td>
                      ))}
                      {withMenu && (
                        <Table.Td onClick={(e) => e.stopPropagation()}>
                          <RowMenu row={row} actions={actions} label={actionsLabel?.(row) ?? t('common.actions')} />
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

function RowMenu<T>({ row, actions, label }: { row: T; actions: RecordAction<T>[]; label: string }) {
  const shown = actions.filter((a) => !a.hidden?.(row));
  if (shown.length === 0) return null;
  return (
    <Menu position="bottom-end" shadow="md">
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={label}>
          <IconDots size={16} aria-hidden />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {shown.map((a) => (
          <Menu.Item key={a.key} color={a.color} leftSection={a.icon} onClick={() => a.onClick(row)}>
            {a.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
