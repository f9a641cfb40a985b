import { Group, Menu, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconApi, IconChevronDown, IconLogout, IconUser, IconUserShield } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../app/session.tsx';
import { useLogout } from '../features/auth/auth.api.ts';

export function UserMenu() {
  const { t } = useTranslation();
  const { me } = useSession();
  const logout = useLogout();
  const navigate = useNavigate();

  const signOut = () => {
    logout.mutate(undefined, {
      onSettled: () => {
        notifications.show({ message: t('auth.signedOut'), color: 'gray' });
        void navigate('/login', { replace: true });
      },
    });
  };

  return (
    <Menu position="bottom-end" shadow="md" width={240}>
      <Menu.Target>
        <UnstyledButton aria-label={t('userMenu.open', { name: me.displayName })} px={4} py={2}>
          <Group gap={8} wrap="nowrap">
            {/* An icon, not initials: the button's visible text must be part of its name (WCAG 2.5.3). */}
            <ThemeIcon size={28} radius="xl" variant="light" aria-hidden>
              <IconUser size={16} />
            </ThemeIcon>
            <Text fz="sm" fw={500} visibleFrom="md" truncate maw={160}>
              {me.displayName}
            </Text>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text fz="sm" fw={600} c="var(--mantine-color-text)" truncate>
            {me.displayName}
          </Text>
          <Text fz="xs" c="dimmed" truncate>
            {me.email}
          </Text>
          <Text fz="xs" c="dimmed">
            {t('userMenu.role', { role: t(`roles.${me.role}`) })}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item component={Link} to="/account" leftSection={<IconUserShield size={16} aria-hidden />}>
          {t('userMenu.account')}
        </Menu.Item>
        <Menu.Item
          component="a"
          href="/api/docs"
          target="_blank"
          rel="noopener"
          leftSection={<IconApi size={16} aria-hidden />}
        >
          {t('userMenu.apiReference')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={signOut} disabled={logout.isPending}>
          {t('userMenu.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
