import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconApi, IconChevronDown, IconKey, IconLogout, IconShieldLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSession } from '../app/session.tsx';
import { useLogout } from '../features/auth/auth.api.ts';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

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
            <Avatar size={28} radius="xl" color="initials" name={me.displayName}>
              {initials(me.displayName)}
            </Avatar>
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
        <Menu.Item leftSection={<IconKey size={16} aria-hidden />} onClick={() => void navigate('/change-password')}>
          {t('userMenu.changePassword')}
        </Menu.Item>
        {!me.mfaEnabled && (
          <Menu.Item leftSection={<IconShieldLock size={16} aria-hidden />} onClick={() => void navigate('/mfa/setup')}>
            {t('userMenu.twoStep')}
          </Menu.Item>
        )}
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
