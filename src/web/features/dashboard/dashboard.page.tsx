import { Anchor, Badge, Button, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconApi, IconArrowRight, IconBuilding, IconMapPin, IconPlus, IconSettings } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useOffices } from '../../app/office-context.tsx';
import { useSession } from '../../app/session.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ZoneClock } from '../../components/zone-clock.tsx';
import { countryName } from '../../lib/format.ts';
import { currentLanguage } from '../../lib/i18n.ts';
import { ComingFeatures } from '../modules/coming-soon.page.tsx';
import { useOffice } from '../offices/offices.api.ts';
import { useSiteList } from '../sites/sites.api.ts';

const SITE_COUNT_PAGE = 200;

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text fz="xs" c="dimmed" tt="uppercase" fw={600} lts={0.3}>
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  );
}

function OfficeCard({ officeId }: { officeId: string }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const office = useOffice(officeId);
  const sites = useSiteList(officeId, { sort: 'name' }, SITE_COUNT_PAGE);

  if (office.isError) {
    return (
      <Card withBorder radius="md">
        <ErrorState error={office.error} onRetry={() => void office.refetch()} retrying={office.isFetching} />
      </Card>
    );
  }
  if (office.isPending) {
    return (
      <Card withBorder radius="md" aria-busy="true" aria-label={t('common.loading')}>
        <Stack gap="sm">
          <Skeleton height={20} width="40%" />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Skeleton height={36} />
            <Skeleton height={36} />
            <Skeleton height={36} />
          </SimpleGrid>
        </Stack>
      </Card>
    );
  }
  const o = office.data;
  const firstPage = sites.data?.pages[0];
  const siteCount = firstPage
    ? firstPage.nextCursor
      ? t('dashboard.sitesMany', { count: SITE_COUNT_PAGE })
      : t('dashboard.sites', { count: firstPage.items.length })
    : undefined;

  return (
    <Card withBorder radius="md" padding="lg">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <Stack gap={2}>
            <Text fz="xs" c="dimmed" tt="uppercase" fw={600} lts={0.3}>
              {t('dashboard.currentOffice')}
            </Text>
            <Group gap="xs">
              <Title order={2} fz="lg">
                {o.name}
              </Title>
              <Badge variant="light" radius="sm" ff="monospace" tt="none">
                {o.code}
              </Badge>
            </Group>
          </Stack>
          <Button
            component={Link}
            to={`/offices/${o.id}`}
            variant="default"
            size="xs"
            rightSection={<IconArrowRight size={14} aria-hidden />}
          >
            {t('dashboard.openOffice')}
          </Button>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md">
          <Fact label={t('offices.fields.countries')}>
            <Text fz="sm">{o.countries.map((c) => countryName(c, language)).join(', ')}</Text>
          </Fact>
          <Fact label={t('dashboard.localTime')}>
            <ZoneClock timeZone={o.timezone} />
          </Fact>
          <Fact label={t('offices.tabs.sites')}>
            {sites.isError ? (
              <Text fz="sm" c="red">
                {t('dashboard.sitesUnavailable')}
              </Text>
            ) : siteCount === undefined ? (
              <Skeleton height={16} width={80} mt={2} />
            ) : (
              <Anchor component={Link} to={`/offices/${o.id}/sites`} fz="sm">
                {siteCount}
              </Anchor>
            )}
          </Fact>
          <Fact label={t('offices.fields.defaultLanguage')}>
            <Text fz="sm">{t(`language.native.${o.defaultLanguage}`)}</Text>
          </Fact>
        </SimpleGrid>
      </Stack>
    </Card>
  );
}

function LinkCard({
  to,
  external,
  icon,
  title,
  text,
}: {
  to: string;
  external?: boolean;
  icon: ReactNode;
  title: string;
  text: string;
}) {
  const body = (
    <Group gap="sm" wrap="nowrap" align="flex-start">
      {icon}
      <Stack gap={2}>
        <Text fw={600} fz="sm">
          {title}
        </Text>
        <Text fz="xs" c="dimmed">
          {text}
        </Text>
      </Stack>
    </Group>
  );
  return external ? (
    <Card
      withBorder
      radius="md"
      padding="md"
      component="a"
      href={to}
      target="_blank"
      rel="noopener"
      className="link-card"
    >
      {body}
    </Card>
  ) : (
    <Card withBorder radius="md" padding="md" component={Link} to={to} className="link-card">
      {body}
    </Card>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const { current, isLoading } = useOffices();

  return (
    <>
      <PageHeader title={t('modules.dashboard.name')} description={t('dashboard.welcome', { name: me.displayName })} />
      <Stack gap="lg">
        {current ? (
          <OfficeCard officeId={current.id} />
        ) : isLoading ? (
          <Skeleton height={140} radius="md" />
        ) : (
          <Card withBorder radius="md">
            <EmptyState
              icon={<IconBuilding size={28} stroke={1.5} aria-hidden />}
              title={t('dashboard.noOfficeTitle')}
              description={can('office.create') ? t('dashboard.noOfficeText') : t('dashboard.noOfficeTextReader')}
              action={
                can('office.create') && (
                  <Button component={Link} to="/offices?new=1" leftSection={<IconPlus size={16} aria-hidden />}>
                    {t('offices.new')}
                  </Button>
                )
              }
            />
          </Card>
        )}

        <Stack gap="xs">
          <Title order={2} fz="md">
            {t('dashboard.availableNow')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
            <LinkCard
              to="/offices"
              icon={<IconBuilding size={20} aria-hidden />}
              title={t('modules.offices.name')}
              text={t('dashboard.linkOffices')}
            />
            {current && (
              <LinkCard
                to={`/offices/${current.id}/sites`}
                icon={<IconMapPin size={20} aria-hidden />}
                title={t('dashboard.linkSitesTitle', { code: current.code })}
                text={t('dashboard.linkSites')}
              />
            )}
            {can('user.read') && (
              <LinkCard
                to="/admin"
                icon={<IconSettings size={20} aria-hidden />}
                title={t('modules.admin.name')}
                text={t('dashboard.linkAdmin')}
              />
            )}
            <LinkCard
              to="/api/docs"
              external
              icon={<IconApi size={20} aria-hidden />}
              title={t('userMenu.apiReference')}
              text={t('dashboard.linkApi')}
            />
          </SimpleGrid>
        </Stack>

        <ComingFeatures
          moduleKey="dashboard"
          title={t('dashboard.comingTitle')}
          explainer={t('coming.explainerPart')}
        />
      </Stack>
    </>
  );
}
