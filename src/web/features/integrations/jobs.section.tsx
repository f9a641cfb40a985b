import { Badge, ScrollArea, Table, Text } from '@mantine/core';
import { IconClockPlay } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '../../components/error-state.tsx';
import { SectionCard } from '../../components/section-card.tsx';
import { TableSkeletonRows } from '../../components/skeletons.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { useJobs } from './integrations.api.ts';

/** The scheduler's jobs: when each ran, whether it failed and why, when it runs next. */
export function JobsSection() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const jobs = useJobs();
  const when = (iso: string | null) => (iso ? formatDateTime(iso, language) : '—');
  const items = jobs.data?.items ?? [];
  return (
    <SectionCard
      id="integrations-jobs"
      icon={<IconClockPlay size={18} aria-hidden />}
      title={t('integrations.jobs.title')}
      description={t('integrations.jobs.description')}
    >
      {jobs.isError ? (
        <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} retrying={jobs.isFetching} />
      ) : !jobs.isPending && items.length === 0 ? (
        <Text fz="sm" c="dimmed">
          {t('integrations.jobs.none')}
        </Text>
      ) : (
        <ScrollArea type="auto">
          <Table miw={820} fz="sm" aria-label={t('integrations.jobs.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('integrations.jobs.name')}</Table.Th>
                <Table.Th>{t('integrations.jobs.state')}</Table.Th>
                <Table.Th>{t('integrations.jobs.lastRun')}</Table.Th>
                <Table.Th>{t('integrations.jobs.nextRun')}</Table.Th>
                <Table.Th>{t('integrations.jobs.runs')}</Table.Th>
                <Table.Th>{t('integrations.jobs.lastError')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {jobs.isPending ? (
                <TableSkeletonRows columns={6} rows={3} />
              ) : (
                items.map((j) => {
                  const failing = j.consecutiveFailures > 0;
                  return (
                    <Table.Tr key={j.name}>
                      <Table.Td>
                        <Text fz="sm" ff="monospace">
                          {j.name}
                        </Text>
                        <Text fz="xs" c="dimmed" ff="monospace">
                          {j.cron}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge
                          variant="light"
                          radius="sm"
                          tt="none"
                          color={j.running ? 'blue' : failing ? 'red' : !j.registered ? 'gray' : 'teal'}
                        >
                          {j.running
                            ? t('integrations.jobs.running')
                            : failing
                              ? t('integrations.jobs.failing', { count: j.consecutiveFailures })
                              : !j.registered
                                ? t('integrations.jobs.unregistered')
                                : t('integrations.jobs.ok')}
                        </Badge>
                      </Table.Td>
                      <Table.Td fz="xs">{when(j.lastFinishedAt ?? j.lastStartedAt)}</Table.Td>
                      <Table.Td fz="xs">{when(j.nextRunAt)}</Table.Td>
                      <Table.Td fz="xs">
                        {t('integrations.jobs.runCount', { runs: j.runs, failures: j.failures })}
                      </Table.Td>
                      <Table.Td>
                        {j.lastError ? (
                          <>
                            <Text fz="xs" c="red" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
                              {j.lastError}
                            </Text>
                            <Text fz="xs" c="dimmed">
                              {when(j.lastErrorAt)}
                            </Text>
                          </>
                        ) : (
                          <Text fz="xs" c="dimmed">
                            —
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })
              )}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </SectionCard>
  );
}
