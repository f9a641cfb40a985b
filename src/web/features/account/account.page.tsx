import { Badge, Button, Group, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKey, IconLanguage, IconUserCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LANGUAGES } from '../../../shared/offices/offices.schemas.ts';
import { useSession } from '../../app/session.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { SectionCard } from '../../components/section-card.tsx';
import { changeLanguage, forgetLanguage, isLanguage } from '../../lib/i18n.ts';
import { useUpdateMe } from '../auth/auth.api.ts';
import { CalendarFeedSection } from '../calendar/calendar-feed.section.tsx';
import { NotificationPreferencesSection } from '../notifications/notification-preferences.section.tsx';
import { PasskeysSection } from '../passkeys/passkeys.section.tsx';
import { SessionsSection } from './sessions.section.tsx';
import { TokensSection } from './tokens.section.tsx';
import { TwoStepSection } from './two-step.section.tsx';

const OFFICE_DEFAULT = 'office';

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

function ProfileSection() {
  const { t } = useTranslation();
  const { me } = useSession();
  const update = useUpdateMe();

  const chooseLanguage = (value: string | null) => {
    const language = isLanguage(value) ? value : null;
    update.mutate(
      { language },
      {
        onSuccess: () => {
          // The profile's choice applies on this device too (a choice made here is remembered here).
          if (language) void changeLanguage(language);
          else forgetLanguage();
          notifications.show({ color: 'teal', message: t('account.languageSaved') });
        },
        onError: () => notifications.show({ color: 'red', message: t('account.languageNotSaved') }),
      },
    );
  };

  return (
    <SectionCard id="account-profile" icon={<IconUserCircle size={18} aria-hidden />} title={t('account.profile')}>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
        <Fact label={t('admin.fields.name')}>
          <Text fz="sm">{me.displayName}</Text>
        </Fact>
        <Fact label={t('auth.email')}>
          <Text fz="sm" style={{ overflowWrap: 'anywhere' }}>
            {me.email}
          </Text>
        </Fact>
        <Fact label={t('admin.fields.role')}>
          <Text fz="sm">{t(`roles.${me.role}`)}</Text>
        </Fact>
        <Fact label={t('admin.fields.offices')}>
          {me.allOffices ? (
            <Text fz="sm">{t('account.allOffices')}</Text>
          ) : me.offices.length === 0 ? (
            <Text fz="sm" c="dimmed">
              —
            </Text>
          ) : (
            <Group gap={4}>
              {me.offices.map((o) => (
                <Badge key={o.id} variant="light" color="gray" radius="sm" tt="none" ff="monospace" title={o.name}>
                  {o.code}
                </Badge>
              ))}
            </Group>
          )}
        </Fact>
      </SimpleGrid>
      <Select
        label={t('account.language')}
        description={t('account.languageHelp')}
        leftSection={<IconLanguage size={16} aria-hidden />}
        data={[
          { value: OFFICE_DEFAULT, label: t('account.languageOffice') },
          ...LANGUAGES.map((l) => ({ value: l, label: t(`language.native.${l}`) })),
        ]}
        value={me.language ?? OFFICE_DEFAULT}
        onChange={chooseLanguage}
        allowDeselect={false}
        disabled={update.isPending}
        maw={360}
        comboboxProps={{ withinPortal: true }}
      />
    </SectionCard>
  );
}

/** The signed-in user's own account: profile and language, password, second factors, API tokens, sessions. */
export function AccountPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader
        title={t('account.title')}
        description={t('account.description')}
        breadcrumbs={[{ label: t('account.title') }]}
      />
      <Stack gap="md" maw={1040}>
        <ProfileSection />
        <SectionCard
          id="account-password"
          icon={<IconKey size={18} aria-hidden />}
          title={t('account.password')}
          description={t('account.passwordText')}
          actions={
            <Button component={Link} to="/change-password?next=%2Faccount" variant="default">
              {t('userMenu.changePassword')}
            </Button>
          }
        />
        <TwoStepSection />
        <PasskeysSection />
        <NotificationPreferencesSection />
        <CalendarFeedSection />
        <TokensSection />
        <SessionsSection />
      </Stack>
    </>
  );
}
