import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

interface SectionCardProps {
  /** Heading id, so the section is a labelled region. */
  id: string;
  title: ReactNode;
  description?: ReactNode;
  icon?: ReactNode;
  /** Badges next to the title (status). */
  badges?: ReactNode;
  /** Buttons on the right of the heading. */
  actions?: ReactNode;
  children?: ReactNode;
}

/** A titled block of a settings page (account, security policy): heading, a line of help, content. */
export function SectionCard({ id, title, description, icon, badges, actions, children }: SectionCardProps) {
  return (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="sm" wrap="wrap">
          <Stack gap={2} style={{ flex: '1 1 280px', minWidth: 0 }}>
            <Group gap={8} wrap="nowrap" align="center">
              {icon}
              <Title order={2} fz="md" id={id}>
                {title}
              </Title>
              {badges}
            </Group>
            {description && (
              <Text fz="sm" c="dimmed">
                {description}
              </Text>
            )}
          </Stack>
          {actions && (
            <Group gap="xs" wrap="wrap">
              {actions}
            </Group>
          )}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}
