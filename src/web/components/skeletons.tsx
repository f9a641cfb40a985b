import { Group, Skeleton, Stack, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Placeholder rows while a table loads; the column headers stay real so the page does not jump. */
export function TableSkeletonRows({ columns, rows = 6 }: { columns: number; rows?: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, r) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity
        <Table.Tr key={r} aria-hidden>
          {Array.from({ length: columns }, (_, c) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholder cells have no identity
            <Table.Td key={c}>
              <Skeleton height={12} width={`${50 + ((r * 7 + c * 13) % 40)}%`} radius="sm" />
            </Table.Td>
          ))}
        </Table.Tr>
      ))}
    </>
  );
}

export function FormSkeleton({ fields = 4 }: { fields?: number }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md" aria-busy="true" aria-label={t('common.loading')} maw={560}>
      {Array.from({ length: fields }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder fields have no identity
        <Stack key={i} gap={6}>
          <Skeleton height={10} width={120} radius="sm" />
          <Skeleton height={34} radius="sm" />
        </Stack>
      ))}
      <Skeleton height={34} width={100} radius="sm" />
    </Stack>
  );
}

/** A whole page loading: a title, a line of text and a block. */
export function PageSkeleton() {
  const { t } = useTranslation();
  return (
    <Stack gap="md" aria-busy="true" aria-label={t('common.loading')}>
      <Skeleton height={10} width={160} radius="sm" />
      <Group justify="space-between">
        <Skeleton height={24} width={240} radius="sm" />
        <Skeleton height={32} width={110} radius="sm" />
      </Group>
      <Skeleton height={12} width="60%" radius="sm" />
      <Skeleton height={220} radius="md" mt="sm" />
    </Stack>
  );
}
