import {
  AppShell,
  Box,
  Burger,
  Group,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
  useMantineTheme,
} from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconShieldCheck } from '@tabler/icons-react';
import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { MODULES, type ModuleDef, NAV_GROUPS } from '../app/modules.ts';
import { OfficeProvider } from '../app/office-context.tsx';
import { useSession } from '../app/session.tsx';
import { useUpdateMe } from '../features/auth/auth.api.ts';
import { NotificationBell } from '../features/notifications/notification-bell.tsx';
import { SearchLauncher } from '../features/search/search-launcher.tsx';
import type { Language } from '../lib/i18n.ts';
import { ColorSchemeToggle } from './color-scheme-toggle.tsx';
import { LanguageSwitcher } from './language-switcher.tsx';
import { OfficeSwitcher } from './office-switcher.tsx';
import { PageSkeleton } from './skeletons.tsx';
import { UserMenu } from './user-menu.tsx';

function isActive(module: ModuleDef, pathname: string): boolean {
  if (module.path === '/') return pathname === '/';
  return pathname === module.path || pathname.startsWith(`${module.path}/`);
}

function Navigation({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <Stack gap="sm">
      {NAV_GROUPS.map((group) => (
        <Box key={group} component="section" aria-labelledby={`nav-group-${group}`}>
          <Text id={`nav-group-${group}`} fz={11} fw={600} tt="uppercase" c="dimmed" px="sm" pb={4} lts={0.4}>
            {t(`nav.groups.${group}`)}
          </Text>
          {MODULES.filter((m) => m.group === group).map((m) => {
            const active = isActive(m, pathname);
            return (
              <NavLink
                key={m.key}
                component={Link}
                to={m.path}
                onClick={onNavigate}
                active={active}
                aria-current={active ? 'page' : undefined}
                label={t(`modules.${m.key}.name`)}
                leftSection={<m.icon size={18} stroke={1.6} aria-hidden />}
                rightSection={
                  m.status === 'coming' ? (
                    <Text component="span" fz={10} c="dimmed" tt="uppercase" fw={600} lts={0.3}>
                      {t('nav.soon')}
                    </Text>
                  ) : null
                }
                py={5}
                styles={{ label: { fontSize: 13, lineHeight: 1.3 } }}
              />
            );
          })}
        </Box>
      ))}
    </Stack>
  );
}

/**
 * The app shell: header (brand, office, language, colour scheme, user), side navigation, page. The office
 * context lives here, not around the sign-in steps, which must not call the API before they are done.
 */
export function AppLayout() {
  return (
    <OfficeProvider>
      <Shell />
    </OfficeProvider>
  );
}

function Shell() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();
  const theme = useMantineTheme();
  // Below `sm` the closed navigation is only moved off-screen: make it inert so focus cannot wander there.
  const isPhone = useMediaQuery(`(max-width: calc(${theme.breakpoints.sm} - 0.1px))`, false);
  const { me } = useSession();
  const updateMe = useUpdateMe();
  // Signed in, the language chosen in the header is also the profile's (e-mails, other devices).
  const saveLanguage = (language: Language) => {
    if (me.language === language) return;
    updateMe.mutate(
      { language },
      { onError: () => notifications.show({ color: 'red', message: t('account.languageNotSaved') }) },
    );
  };

  // Close the phone menu whenever the page changes (also on back/forward).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation on purpose
  useEffect(() => {
    close();
  }, [pathname, close]);

  return (
    <AppShell
      header={{ height: 52 }}
      navbar={{ width: 272, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'sm', sm: 'lg' }}
    >
      <a href="#main" className="skip-link">
        {t('nav.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('nav.close') : t('nav.open')}
              aria-expanded={opened}
              aria-controls="app-navigation"
            />
            <UnstyledButton component={Link} to="/" aria-label={t('nav.home')}>
              <Group gap={6} wrap="nowrap">
                <IconShieldCheck size={22} stroke={1.8} color="var(--mantine-primary-color-filled)" aria-hidden />
                {/* On a phone the header's controls need the room: the shield alone is the home link. */}
                <Text fw={700} fz="md" visibleFrom="xs">
                  {t('app.name')}
                </Text>
              </Group>
            </UnstyledButton>
            <Box visibleFrom="sm" ml="md">
              <OfficeSwitcher />
            </Box>
          </Group>
          <Group gap={4} wrap="nowrap">
            <SearchLauncher />
            <LanguageSwitcher onChosen={saveLanguage} />
            <ColorSchemeToggle />
            <NotificationBell />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar id="app-navigation" aria-label={t('nav.label')} component="nav" inert={isPhone && !opened}>
        {isPhone && (
          <Box hiddenFrom="sm" p="sm" pb={0}>
            <OfficeSwitcher fullWidth />
          </Box>
        )}
        <AppShell.Section grow component={ScrollArea} p="xs" pt="sm">
          <Navigation onNavigate={close} />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Box maw={1280} mx="auto">
          <Suspense fallback={<PageSkeleton />}>
            <Outlet />
          </Suspense>
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
