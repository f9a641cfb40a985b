import { Button, Code, EmptyState as MantineEmptyState, Text } from '@mantine/core';
import { IconAlertTriangle, IconCloudOff, IconLock, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../lib/api-client.ts';
import { describeError } from '../lib/problem-text.ts';

interface ErrorStateProps {
  error: unknown;
  onRetry?: () => void;
  /** Is a retry running right now? */
  retrying?: boolean;
}

/** A page or section that could not load: says what happened and, where it may help, offers to try again. */
export function ErrorState({ error, onRetry, retrying }: ErrorStateProps) {
  const { t } = useTranslation();
  const { title, detail, requestId } = describeError(error, t);
  const status = isApiError(error) ? error.status : undefined;
  const Icon = status === 0 ? IconCloudOff : status === 403 ? IconLock : IconAlertTriangle;
  // Asking again changes nothing for a refusal or a missing record: offer a retry only where it may help.
  const retryable = status === undefined || status === 0 || status === 408 || status === 429 || status >= 500;
  return (
    <MantineEmptyState
      role="alert"
      py="xl"
      px="md"
      size="sm"
      variant="light"
      color="red"
      icon={<Icon size={28} stroke={1.5} aria-hidden />}
      title={title}
      description={detail ?? (status === 404 ? t('errors.notFoundDetail') : undefined)}
    >
      {requestId && (
        <Text fz="xs" c="dimmed" ta="center">
          {t('errors.requestId')} <Code>{requestId}</Code>
        </Text>
      )}
      {onRetry && retryable && (
        <MantineEmptyState.Actions>
          <Button
            variant="default"
            size="sm"
            leftSection={<IconRefresh size={16} aria-hidden />}
            onClick={onRetry}
            loading={retrying}
          >
            {t('common.retry')}
          </Button>
        </MantineEmptyState.Actions>
      )}
    </MantineEmptyState>
  );
}
