import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface LoadMoreProps {
  shown: number;
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
}

/** Footer of a server-paginated list: how many rows are shown, and a button for the next page. */
export function LoadMore({ shown, hasMore, loading, onLoadMore }: LoadMoreProps) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" mt="sm" gap="xs">
      <Text fz="xs" c="dimmed" aria-live="polite">
        {hasMore ? t('table.shownMore', { count: shown }) : t('table.shownAll', { count: shown })}
      </Text>
      {hasMore && (
        <Button variant="default" size="xs" onClick={onLoadMore} loading={loading}>
          {t('table.loadMore')}
        </Button>
      )}
    </Group>
  );
}
