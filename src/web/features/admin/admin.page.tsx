import { Anchor, Badge, Button, Group, Paper, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { IconApi, IconCheck, IconExternalLink, IconMinus, IconUsers } from '@tabler/icons-react';
import type { ParseKeys } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { PERMISSIONS, type Permission, ROLE_PERMISSIONS, ROLES } from '../../../shared/permissions.ts';
import { useSession } from '../../app/session.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { LoadMore } from '../../components/load-more.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { TableSkeletonRows } from '../../components/skeletons.tsx';
import { formatDate } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { ComingFeatures } from '../modules/coming-soon.page.tsx';
import { useUserList } from './admin.api.ts';
import { AdminTabs } from './admin-tabs.tsx';

function UsersSection() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const list = useUserList(true);
  const users = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  return (
    <Stack gap="xs">
      <Title order={2} fz="md">
        {t('admin.users')}
      </Title>
      <Paper withBorder radius="md">
        {list.isError && !list.data ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />
        ) : !list.isPending && users.length === 0 ? (
          <EmptyState icon={<IconUsers size={28} stroke={1.5} aria-hidden />} title={t('admin.noUsers')} />
        ) : (
          <ScrollArea type="auto">
            <Table miw={720} aria-label={t('admin.users')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('admin.fields.name')}</Table.Th>
                  <Table.Th>{t('admin.fields.email')}</Table.Th>
                  <Table.Th>{t('admin.fields.role')}</Table.Th>
                  <Table.Th>{t('admin.fields.offices')}</Table.Th>
                  <Table.Th>{t('admin.fields.status')}</Table.Th>
                  <Table.Th>{t('common.created')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.isPending ? (
                  <TableSkeletonRows columns={6} rows={3} />
                ) : (
                  users.map((u) => (
                    <Table.Tr key={u.id}>
                      <Table.Td fw={500}>{u.displayName}</Table.Td>
                      <Table.Td>{u.email}</Table.Td>
                      <Table.Td>{t(`roles.${u.role}`)}</Table.Td>
                      <Table.Td ff="monospace" fz="xs">
                        {u.officeCodes.length > 0 ? u.officeCodes.join(', ') : '—'}
                      </Table.Td>
                      <Table.Td>
                        {u.isDisabled ? (
                          <Badge color="gray" variant="default" tt="none" radius="sm">
                            {t('admin.status.disabled')}
                          </Badge>
                        ) : u.mustChangePassword ? (
                          <Badge color="yellow" variant="light" tt="none" radius="sm">
                            {t('admin.status.mustChangePassword')}
                          </Badge>
                        ) : (
                          <Badge color="teal" variant="light" tt="none" radius="sm">
                            {t('admin.status.active')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td c="dimmed">{formatDate(u.createdAt, language)}</Table.Td>
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        )}
      </Paper>
      {users.length > 0 && (
        <LoadMore
          shown={users.length}
          hasMore={Boolean(list.hasNextPage)}
          loading={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
        />
      )}
    </Stack>
  );
}

/** Who may do what: read from the same table the server enforces (src/shared/permissions.ts). */
function PermissionMatrix() {
  const { t, i18n } = useTranslation();
  // The matrix may gain permissions before their translations: fall back to the permission's code.
  const permissionLabel = (p: Permission): string => {
    const key = `permissions.${p}`;
    return i18n.exists(key) ? t(key as ParseKeys) : p;
  };
  return (
    <Stack gap="xs">
      <Title order={2} fz="md">
        {t('admin.roles')}
      </Title>
      <Text fz="sm" c="dimmed">
        {t('admin.rolesText')}
      </Text>
      <Paper withBorder radius="md">
        <ScrollArea type="auto">
          <Table miw={860} fz="xs" aria-label={t('admin.roles')} withColumnBorders>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.permission')}</Table.Th>
                {ROLES.map((r) => (
                  <Table.Th key={r} ta="center">
                    {t(`roles.${r}`)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {PERMISSIONS.map((p) => (
                <Table.Tr key={p}>
                  <Table.Td>
                    <Text fz="xs">{permissionLabel(p)}</Text>
                    <Text fz={10} c="dimmed" ff="monospace">
                      {p}
                    </Text>
                  </Table.Td>
                  {ROLES.map((r) => {
                    const allowed = ROLE_PERMISSIONS[r].includes(p);
                    return (
                      <Table.Td key={r} ta="center">
                        {allowed ? (
                          <IconCheck size={16} color="var(--mantine-color-teal-text)" aria-label={t('admin.allowed')} />
                        ) : (
                          <IconMinus size={14} color="var(--mantine-color-dimmed)" aria-label={t('admin.notAllowed')} />
                        )}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
    </Stack>
  );
}

export function AdminPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  return (
    <>
      <PageHeader
        title={t('modules.admin.name')}
        description={t('admin.description')}
        breadcrumbs={[{ label: t('modules.admin.name') }]}
        actions={
          <Button
            component="a"
            href="/api/docs"
            target="_blank"
            rel="noopener"
            variant="default"
            leftSection={<IconApi size={16} aria-hidden />}
            rightSection={<IconExternalLink size={14} aria-hidden />}
          >
            {t('userMenu.apiReference')}
          </Button>
        }
      />
      <AdminTabs current="overview">
        <Stack gap="xl">
          {can('user.read') ? (
            <UsersSection />
          ) : (
            <Text fz="sm" c="dimmed">
              {t('admin.noUserAccess')}
            </Text>
          )}
          <PermissionMatrix />
          <Group>
            <Text fz="sm" c="dimmed">
              {t('admin.openapi')}{' '}
              <Anchor href="/api/openapi.json" target="_blank" rel="noopener" fz="sm">
                /api/openapi.json
              </Anchor>
            </Text>
          </Group>
          <ComingFeatures moduleKey="admin" title={t('admin.comingTitle')} explainer={t('coming.explainerPart')} />
        </Stack>
      </AdminTabs>
    </>
  );
}
