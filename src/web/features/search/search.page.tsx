import { Badge, Button, Divider, Group, Paper, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { IconSearch, IconSearchOff } from '@tabler/icons-react';
import { Fragment, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useSession } from '../../app/session.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { LoadMore } from '../../components/load-more.tsx';
import { NoAccess } from '../../components/no-access.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { formatDate } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { Highlight, recordTypeLabel, safePath } from './highlight.tsx';
import { cleanQuery, SEARCH_QUERY_MAX, useSearchResults } from './search.api.ts';
import classes from './search.module.css';

/** Every result of a search, best first, a page at a time: /search?q=… */
export function SearchPage() {
  const { t, i18n } = useTranslation();
  const language = currentLanguage();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const q = cleanQuery(params.get('q') ?? '');
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const results = useSearchResults(q);
  const items = useMemo(() => results.data?.pages.flatMap((p) => p.items) ?? [], [results.data]);
  const typeLabel = (type: string) => recordTypeLabel(type, t, (k) => i18n.exists(k));

  const submit = (e: { preventDefault(): void }) => {
    e.preventDefault();
    const next = cleanQuery(text);
    setParams(next ? { q: next } : {});
  };

  const title = t('search.title');
  if (!can('search.use')) {
    return (
      <>
        <PageHeader title={title} breadcrumbs={[{ label: title }]} />
        <NoAccess />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={q ? t('search.resultsFor', { q }) : title}
        documentTitle={q ? `${q} · ${title}` : title}
        breadcrumbs={[{ label: title }]}
      />
      <search aria-label={title}>
        <form onSubmit={submit}>
          <Group gap="xs" mb="md" wrap="nowrap" maw={880}>
            <TextInput
              type="search"
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              placeholder={t('search.placeholder')}
              aria-label={t('search.inputLabel')}
              maxLength={SEARCH_QUERY_MAX}
              leftSection={<IconSearch size={16} aria-hidden />}
              style={{ flex: 1 }}
            />
            <Button type="submit">{t('search.submit')}</Button>
          </Group>
        </form>
      </search>
      <Paper withBorder radius="md" maw={880}>
        {!q ? (
          <EmptyState icon={<IconSearch size={28} stroke={1.5} aria-hidden />} title={t('search.hint')} />
        ) : results.isError && !results.data ? (
          <ErrorState error={results.error} onRetry={() => void results.refetch()} retrying={results.isFetching} />
        ) : results.isPending ? (
          <Stack gap="md" p="md" aria-busy="true" aria-label={t('common.loading')}>
            {[0, 1, 2].map((i) => (
              <Stack key={i} gap={6}>
                <Skeleton height={12} width="45%" radius="sm" />
                <Skeleton height={10} width="85%" radius="sm" />
              </Stack>
            ))}
          </Stack>
        ) : items.length === 0 ? (
          <EmptyState
            icon={<IconSearchOff size={28} stroke={1.5} aria-hidden />}
            title={t('search.noResults', { q })}
            description={t('search.noResultsText')}
          />
        ) : (
          <ol
            aria-label={t('search.results')}
            aria-busy={results.isFetching}
            style={{ listStyle: 'none', margin: 0, padding: 4, opacity: results.isPlaceholderData ? 0.6 : 1 }}
          >
            {items.map((r, i) => (
              <Fragment key={`${r.entityType}:${r.entityId}`}>
                {i > 0 && <Divider component="li" aria-hidden mx="sm" />}
                <li>
                  <Link to={safePath(r.link)} className={classes.result}>
                    <Group gap="xs" wrap="nowrap" align="baseline" justify="space-between">
                      <Text fz="sm" fw={600} style={{ overflowWrap: 'anywhere', minWidth: 0 }}>
                        <Highlight
                          segments={r.titleHighlight.length ? r.titleHighlight : [{ text: r.title, hit: false }]}
                        />
                      </Text>
                      <Badge variant="light" color="gray" radius="sm" tt="none" style={{ flex: '0 0 auto' }}>
                        {typeLabel(r.entityType)}
                      </Badge>
                    </Group>
                    {r.snippet.length > 0 && (
                      <Text fz="sm" c="dimmed" lineClamp={3} mt={2} style={{ overflowWrap: 'anywhere' }}>
                        <Highlight segments={r.snippet} />
                      </Text>
                    )}
                    <Text fz="xs" c="dimmed" mt={4}>
                      {t('search.updated', { date: formatDate(r.updatedAt, language) })}
                    </Text>
                  </Link>
                </li>
              </Fragment>
            ))}
          </ol>
        )}
      </Paper>
      {items.length > 0 && (
        <Stack maw={880}>
          <LoadMore
            shown={items.length}
            hasMore={Boolean(results.hasNextPage)}
            loading={results.isFetchingNextPage}
            onLoadMore={() => void results.fetchNextPage()}
          />
        </Stack>
      )}
    </>
  );
}
