import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Code,
  Group,
  Paper,
  Pill,
  ScrollArea,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import {
  IconAlertTriangle,
  IconArrowRight,
  IconChevronDown,
  IconChevronRight,
  IconDownload,
  IconListDetails,
  IconSearch,
  IconShieldCheck,
  IconShieldX,
} from '@tabler/icons-react';
import type { ParseKeys } from 'i18next';
import { Fragment, type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { AuditEntry, AuditFilter } from '../../../shared/audit/audit.schemas.ts';
import { useOffices } from '../../app/office-context.tsx';
import { useSession } from '../../app/session.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { LoadMore } from '../../components/load-more.tsx';
import { NoAccess } from '../../components/no-access.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableSkeletonRows } from '../../components/skeletons.tsx';
import { browserTimeZone, formatDateTime } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { AdminTabs } from '../admin/admin-tabs.tsx';
import { auditExportUrl, useAuditList, useVerifyAudit } from './audit.api.ts';

/** What the server records today (src/server/modules/**): offered in the filters, labelled when known. */
const ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.password_ok_mfa_pending',
  'auth.logout',
  'auth.logout_everywhere',
  'auth.session_revoke',
  'auth.change_password',
  'auth.mfa_enabled',
  'auth.mfa_disabled',
  'auth.mfa_failed',
  'auth.passkey_add',
  'auth.passkey_remove',
  'auth.passkey_failed',
  'auth.sso_refused',
  'auth.token_create',
  'auth.token_revoke',
  'office.create',
  'office.update',
  'office.delete',
  'office.export',
  'office.import',
  'site.create',
  'site.update',
  'site.delete',
  'person.create',
  'person.update',
  'user.create',
  'user.update',
  'user.reset_password',
  'user.reset_password_link',
  'policy.update',
  'audit.export',
];
const ENTITY_TYPES = [
  'office',
  'site',
  'person',
  'user',
  'session',
  'passkey',
  'api_token',
  'security_policy',
  'audit',
];
const COLUMNS = 7;

/** Ids are UUIDv7: the first characters are a timestamp, the last ones tell records apart. */
const shortId = (id: string) => `…${id.slice(-6)}`;
const HASH_SHOWN = 10;

/** The filter as the URL keeps it: dates as the user typed them (YYYY-MM-DD, in their zone). */
interface UrlFilter {
  office?: string | undefined;
  entity?: string | undefined;
  action?: string | undefined;
  actor?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}
type FilterKey = keyof UrlFilter;
const FILTER_KEYS: FilterKey[] = ['office', 'entity', 'action', 'actor', 'from', 'to'];

/** Midnight at the start of a YYYY-MM-DD day in the browser's zone, as the server's UTC timestamp. */
function startOfDay(day: string, plusDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function toApiFilter(f: UrlFilter): AuditFilter {
  return {
    officeId: f.office || undefined,
    entityType: f.entity || undefined,
    action: f.action || undefined,
    actor: f.actor?.trim() || undefined,
    from: f.from ? startOfDay(f.from) : undefined,
    // `to` is exclusive on the server: the whole last day is included.
    to: f.to ? startOfDay(f.to, 1) : undefined,
  };
}

function useLabels() {
  const { t, i18n } = useTranslation();
  const label = (key: string, fallback: string) => (i18n.exists(key) ? t(key as ParseKeys) : fallback);
  return {
    action: (a: string) => label(`audit.actions.${a}`, a),
    entity: (e: string) => label(`audit.entities.${e}`, e),
  };
}

/** A value of the `changes` JSON, short and readable. */
function ValueText({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (value === null || value === undefined || value === '') {
    return (
      <Text component="span" fz="xs" c="dimmed" fs="italic">
        {t('audit.empty')}
      </Text>
    );
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return (
    <Code fz="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {text}
    </Code>
  );
}

/** `changes` as a list: before → after for updates, the recorded values otherwise. */
function ChangesList({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const changes = entry.changes;
  if (changes === null || changes === undefined) {
    return (
      <Text fz="xs" c="dimmed">
        {t('audit.noChanges')}
      </Text>
    );
  }
  if (typeof changes !== 'object' || Array.isArray(changes)) return <ValueText value={changes} />;
  const isUpdate = /\.update$/.test(entry.action);
  const rows = Object.entries(changes as Record<string, unknown>);
  if (rows.length === 0) {
    return (
      <Text fz="xs" c="dimmed">
        {t('audit.noChanges')}
      </Text>
    );
  }
  return (
    <Table
      fz="xs"
      verticalSpacing={2}
      horizontalSpacing="xs"
      withRowBorders={false}
      aria-label={t('audit.changes')}
      layout="fixed"
    >
      <Table.Tbody>
        {rows.map(([field, value]) => (
          <Table.Tr key={field}>
            <Table.Th w={160} fw={500} style={{ verticalAlign: 'top', overflowWrap: 'anywhere' }}>
              {field}
            </Table.Th>
            <Table.Td style={{ verticalAlign: 'top' }}>
              {isUpdate && Array.isArray(value) && value.length === 2 ? (
                <Group gap={6} wrap="wrap" align="center">
                  <VisuallyHidden>{t('audit.before')}</VisuallyHidden>
                  <ValueText value={value[0]} />
                  <IconArrowRight size={14} aria-label={t('audit.becomes')} />
                  <ValueText value={value[1]} />
                </Group>
              ) : (
                <ValueText value={value} />
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text fz={11} c="dimmed" tt="uppercase" fw={600} lts={0.3}>
        {label}
      </Text>
      <Text fz="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Stack>
  );
}

/** Says what the chain check found, in words and with an icon (not colour alone). */
function VerifyResult({ result }: { result: { ok: boolean; entries: number; brokenAt?: number; reason?: string } }) {
  const { t } = useTranslation();
  if (result.ok) {
    return (
      <Alert color="teal" variant="light" role="status" icon={<IconShieldCheck size={18} aria-hidden />}>
        {t('audit.intact', { count: result.entries })}
      </Alert>
    );
  }
  const reason = result.reason ?? '';
  const known: Record<string, ParseKeys> = {
    'previous-hash link does not match': 'audit.reasons.link',
    'entry content does not match its hash': 'audit.reasons.content',
  };
  const key = known[reason] ?? (/ is missing$/.test(reason) ? 'audit.reasons.missing' : undefined);
  return (
    <Alert
      color="red"
      variant="light"
      role="alert"
      icon={<IconShieldX size={18} aria-hidden />}
      title={t('audit.broken', { seq: result.brokenAt ?? '?' })}
    >
      {key ? t(key) : reason}
    </Alert>
  );
}

/** The audit trail: who did what, when, in which office, with the hash chain that shows tampering. */
export function AuditPage() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const labels = useLabels();
  const { offices } = useOffices();
  const { can } = useSession();
  const allowed = can('audit.read');
  const [params, setParams] = useSearchParams();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const verify = useVerifyAudit();
  const zone = browserTimeZone() ?? 'UTC';

  const urlFilter: UrlFilter = Object.fromEntries(
    FILTER_KEYS.map((k) => [k, params.get(k) ?? undefined]).filter(([, v]) => v),
  );
  const [actorText, setActorText] = useState(urlFilter.actor ?? '');
  const [actor] = useDebouncedValue(actorText.trim(), 400);

  const update = (changes: Partial<Record<FilterKey, string | undefined>>) => {
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
    if ((params.get('actor') ?? '') !== actor) update({ actor: actor || undefined });
  }, [actor]);

  const filter = toApiFilter(urlFilter);
  const list = useAuditList(filter, allowed);
  const entries = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const officeCode = useMemo(() => new Map(offices.map((o) => [o.id, o.code])), [offices]);
  const filtered = FILTER_KEYS.some((k) => urlFilter[k]);

  const clearFilters = () => {
    setActorText('');
    update(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])));
  };
  const toggle = (id: string) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const withCurrent = (known: string[], current: string | undefined) =>
    current && !known.includes(current) ? [...known, current] : known;
  const actionOptions = withCurrent(ACTIONS, urlFilter.action).map((a) => ({
    value: a,
    label: labels.action(a) === a ? a : `${labels.action(a)} · ${a}`,
  }));
  const entityOptions = withCurrent(ENTITY_TYPES, urlFilter.entity).map((e) => ({ value: e, label: labels.entity(e) }));
  const officeOptions = offices.map((o) => ({ value: o.id, label: `${o.code} · ${o.name}` }));

  const chips: { key: FilterKey; label: string }[] = [];
  if (urlFilter.office)
    chips.push({
      key: 'office',
      label: `${t('audit.office')}: ${officeCode.get(urlFilter.office) ?? shortId(urlFilter.office)}`,
    });
  if (urlFilter.entity)
    chips.push({ key: 'entity', label: `${t('audit.entity')}: ${labels.entity(urlFilter.entity)}` });
  if (urlFilter.action)
    chips.push({ key: 'action', label: `${t('audit.action')}: ${labels.action(urlFilter.action)}` });
  if (urlFilter.actor) chips.push({ key: 'actor', label: `${t('audit.actor')}: ${urlFilter.actor}` });
  if (urlFilter.from) chips.push({ key: 'from', label: `${t('audit.from')}: ${urlFilter.from}` });
  if (urlFilter.to) chips.push({ key: 'to', label: `${t('audit.to')}: ${urlFilter.to}` });

  if (!allowed) {
    return (
      <>
        <PageHeader
          title={t('audit.title')}
          breadcrumbs={[{ label: t('modules.admin.name'), to: '/admin' }, { label: t('audit.title') }]}
        />
        <NoAccess />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        description={t('audit.description')}
        breadcrumbs={[{ label: t('modules.admin.name'), to: '/admin' }, { label: t('audit.title') }]}
        actions={
          <>
            <Button
              variant="default"
              leftSection={<IconShieldCheck size={16} aria-hidden />}
              onClick={() => verify.mutate()}
              loading={verify.isPending}
            >
              {t('audit.verify')}
            </Button>
            <Button
              component="a"
              href={auditExportUrl(filter)}
              download
              variant="default"
              leftSection={<IconDownload size={16} aria-hidden />}
            >
              {t('audit.export')}
            </Button>
          </>
        }
      />
      <AdminTabs current="audit">
        <Stack gap="sm">
          {verify.data && <VerifyResult result={verify.data} />}
          {verify.error && <ProblemAlert error={verify.error} />}

          <SimpleGrid cols={{ base: 2, md: 3, lg: 6 }} spacing="xs" role="search" aria-label={t('audit.filters')}>
            <Select
              label={t('audit.office')}
              placeholder={t('audit.anyOffice')}
              data={officeOptions}
              value={urlFilter.office ?? null}
              onChange={(v) => update({ office: v ?? undefined })}
              searchable
              clearable
              nothingFoundMessage={t('common.nothingFound')}
              size="xs"
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label={t('audit.entity')}
              placeholder={t('audit.anyEntity')}
              data={entityOptions}
              value={urlFilter.entity ?? null}
              onChange={(v) => update({ entity: v ?? undefined })}
              clearable
              size="xs"
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label={t('audit.action')}
              placeholder={t('audit.anyAction')}
              data={actionOptions}
              value={urlFilter.action ?? null}
              onChange={(v) => update({ action: v ?? undefined })}
              searchable
              clearable
              nothingFoundMessage={t('common.nothingFound')}
              size="xs"
              comboboxProps={{ withinPortal: true, width: 320, position: 'bottom-start' }}
            />
            <TextInput
              label={t('audit.actor')}
              placeholder={t('audit.actorPlaceholder')}
              type="email"
              value={actorText}
              onChange={(e) => setActorText(e.currentTarget.value)}
              leftSection={<IconSearch size={14} aria-hidden />}
              size="xs"
            />
            <TextInput
              label={t('audit.from')}
              type="date"
              value={urlFilter.from ?? ''}
              max={urlFilter.to}
              onChange={(e) => update({ from: e.currentTarget.value || undefined })}
              size="xs"
            />
            <TextInput
              label={t('audit.to')}
              type="date"
              value={urlFilter.to ?? ''}
              min={urlFilter.from}
              onChange={(e) => update({ to: e.currentTarget.value || undefined })}
              size="xs"
            />
          </SimpleGrid>

          {chips.length > 0 && (
            <Group gap={6} wrap="wrap" aria-label={t('audit.activeFilters')} role="group">
              {chips.map((c) => (
                <Pill
                  key={c.key}
                  withRemoveButton
                  onRemove={() => {
                    if (c.key === 'actor') setActorText('');
                    update({ [c.key]: undefined });
                  }}
                  removeButtonProps={{ 'aria-label': t('audit.removeFilter', { filter: c.label }) }}
                >
                  {c.label}
                </Pill>
              ))}
              <Button variant="subtle" color="gray" size="compact-xs" onClick={clearFilters}>
                {t('common.clearFilters')}
              </Button>
            </Group>
          )}

          <Paper withBorder radius="md">
            {list.isError && !list.data ? (
              <ErrorState error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />
            ) : !list.isPending && entries.length === 0 ? (
              filtered ? (
                <EmptyState
                  icon={<IconSearch size={28} stroke={1.5} aria-hidden />}
                  title={t('audit.noMatchTitle')}
                  description={t('audit.noMatchText')}
                  action={
                    <Button variant="default" onClick={clearFilters}>
                      {t('common.clearFilters')}
                    </Button>
                  }
                />
              ) : (
                <EmptyState
                  icon={<IconListDetails size={28} stroke={1.5} aria-hidden />}
                  title={t('audit.emptyTitle')}
                  description={t('audit.emptyText')}
                />
              )
            ) : (
              <ScrollArea type="auto">
                <Table
                  miw={900}
                  fz="xs"
                  verticalSpacing={4}
                  highlightOnHover
                  aria-busy={list.isFetching}
                  aria-label={t('audit.title')}
                >
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={36}>
                        <VisuallyHidden>{t('audit.details')}</VisuallyHidden>
                      </Table.Th>
                      <Table.Th w={190}>{t('audit.time', { zone })}</Table.Th>
                      <Table.Th>{t('audit.actor')}</Table.Th>
                      <Table.Th>{t('audit.action')}</Table.Th>
                      <Table.Th>{t('audit.entity')}</Table.Th>
                      <Table.Th w={80}>{t('audit.office')}</Table.Th>
                      <Table.Th w={110}>{t('audit.hash')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                    {list.isPending ? (
                      <TableSkeletonRows columns={COLUMNS} />
                    ) : (
                      entries.map((e) => {
                        const open = expanded.has(e.id);
                        const detailsId = `audit-entry-${e.seq}`;
                        const failed = /_failed$|_refused$/.test(e.action);
                        return (
                          <Fragment key={e.id}>
                            <Table.Tr style={{ whiteSpace: 'nowrap' }}>
                              <Table.Td>
                                <ActionIcon
                                  variant="subtle"
                                  color="gray"
                                  size="sm"
                                  onClick={() => toggle(e.id)}
                                  aria-expanded={open}
                                  aria-controls={open ? detailsId : undefined}
                                  aria-label={t('audit.showDetails', { seq: e.seq })}
                                >
                                  {open ? (
                                    <IconChevronDown size={14} aria-hidden />
                                  ) : (
                                    <IconChevronRight size={14} aria-hidden />
                                  )}
                                </ActionIcon>
                              </Table.Td>
                              <Table.Td>
                                <time dateTime={e.at}>{formatDateTime(e.at, language, zone)}</time>
                              </Table.Td>
                              <Table.Td>{e.actorLabel}</Table.Td>
                              <Table.Td>
                                <Group gap={4} wrap="nowrap" title={e.action}>
                                  {failed && (
                                    <IconAlertTriangle size={13} color="var(--mantine-color-red-text)" aria-hidden />
                                  )}
                                  <Text component="span" fz="xs" fw={failed ? 600 : undefined}>
                                    {labels.action(e.action)}
                                  </Text>
                                </Group>
                              </Table.Td>
                              <Table.Td>
                                {labels.entity(e.entityType)}
                                {e.entityId && (
                                  <>
                                    {' '}
                                    {e.entityType === 'office' ? (
                                      <Anchor component={Link} to={`/offices/${e.entityId}`} fz="xs" ff="monospace">
                                        {officeCode.get(e.entityId) ?? shortId(e.entityId)}
                                      </Anchor>
                                    ) : (
                                      <Text component="span" fz="xs" ff="monospace" c="dimmed" title={e.entityId}>
                                        {shortId(e.entityId)}
                                      </Text>
                                    )}
                                  </>
                                )}
                              </Table.Td>
                              <Table.Td ff="monospace">
                                {e.officeId ? (officeCode.get(e.officeId) ?? shortId(e.officeId)) : '—'}
                              </Table.Td>
                              <Table.Td>
                                <Tooltip
                                  label={e.hash}
                                  withArrow
                                  multiline
                                  w={300}
                                  style={{ overflowWrap: 'anywhere' }}
                                >
                                  <Text component="span" fz="xs" ff="monospace" c="dimmed">
                                    {e.hash.slice(0, HASH_SHOWN)}
                                  </Text>
                                </Tooltip>
                              </Table.Td>
                            </Table.Tr>
                            {open && (
                              <Table.Tr id={detailsId}>
                                <Table.Td />
                                <Table.Td colSpan={COLUMNS - 1} pb="sm">
                                  <Stack gap="xs">
                                    <ChangesList entry={e} />
                                    <Group gap="lg" wrap="wrap" align="flex-start">
                                      <Detail label={t('audit.seq')}>{e.seq}</Detail>
                                      <Detail label={t('audit.actionCode')}>{e.action}</Detail>
                                      {e.entityId && <Detail label={t('audit.entityId')}>{e.entityId}</Detail>}
                                      {e.requestId && <Detail label={t('audit.requestId')}>{e.requestId}</Detail>}
                                      <Detail label={t('audit.utc')}>{e.at}</Detail>
                                    </Group>
                                    <Detail label={t('audit.hash')}>{e.hash}</Detail>
                                  </Stack>
                                </Table.Td>
                              </Table.Tr>
                            )}
                          </Fragment>
                        );
                      })
                    )}
                  </Table.Tbody>
                </Table>
              </ScrollArea>
            )}
          </Paper>
          {entries.length > 0 && (
            <LoadMore
              shown={entries.length}
              hasMore={Boolean(list.hasNextPage)}
              loading={list.isFetchingNextPage}
              onLoadMore={() => void list.fetchNextPage()}
            />
          )}
          {list.isFetchNextPageError && (
            <Text role="alert" c="red" fz="sm">
              {t('table.loadMoreFailed')}
            </Text>
          )}
        </Stack>
      </AdminTabs>
    </>
  );
}
