import { Box, Center, Group, Paper, Stack, Text } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ColorSchemeToggle } from './color-scheme-toggle.tsx';
import { LanguageSwitcher } from './language-switcher.tsx';

/** The frame of the pages outside the shell (sign in, forced password change, loading the session). */
export function AuthFrame({ children, width = 400 }: { children: ReactNode; width?: number }) {
  const { t } = useTranslation();
  return (
    <Box mih="100dvh" bg="var(--mantine-color-gray-light)" p="md">
      <Group justify="flex-end" gap={4}>
        <LanguageSwitcher />
        <ColorSchemeToggle />
      </Group>
      <Center mih="calc(100dvh - 120px)">
        <Stack w="100%" maw={width} gap="lg">
          <Group gap={8} justify="center">
            <IconShieldCheck size={30} stroke={1.8} color="var(--mantine-primary-color-filled)" aria-hidden />
            <Text fw={700} fz={22}>
              {t('app.name')}
            </Text>
          </Group>
          <Paper withBorder shadow="sm" p={{ base: 'md', sm: 'xl' }} radius="md" component="main">
            {children}
          </Paper>
          <Text fz="xs" c="dimmed" ta="center">
            {t('app.tagline')}
          </Text>
        </Stack>
      </Center>
    </Box>
  );
}
