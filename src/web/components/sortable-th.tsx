import { Table, UnstyledButton } from '@mantine/core';
import { IconArrowsSort, IconSortAscending, IconSortDescending } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface SortableThProps<S extends string> {
  /** The field as the API names it, e.g. `name` (descending is `-name`). */
  field: string;
  sort: S;
  onSort: (sort: S) => void;
  children: ReactNode;
  w?: number | string;
}

/** A column header that sorts the list on the server; says its state with an icon and `aria-sort`. */
export function SortableTh<S extends string>({ field, sort, onSort, children, w }: SortableThProps<S>) {
  const { t } = useTranslation();
  const direction = sort === field ? 'ascending' : sort === `-${field}` ? 'descending' : 'none';
  const next = (direction === 'ascending' ? `-${field}` : field) as S;
  const Icon =
    direction === 'ascending' ? IconSortAscending : direction === 'descending' ? IconSortDescending : IconArrowsSort;
  return (
    <Table.Th aria-sort={direction} w={w}>
      <UnstyledButton
        className="sort-button"
        onClick={() => onSort(next)}
        aria-label={t(direction === 'ascending' ? 'table.sortDescending' : 'table.sortAscending', {
          column: typeof children === 'string' ? children : field,
        })}
      >
        {children}
        <Icon size={14} stroke={1.6} aria-hidden style={{ opacity: direction === 'none' ? 0.45 : 1 }} />
      </UnstyledButton>
    </Table.Th>
  );
}
