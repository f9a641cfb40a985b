import { Anchor, Breadcrumbs, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export interface Crumb {
  label: string;
  to?: string;
}

interface PageHeaderProps {
  title: ReactNode;
  /** Plain text for the browser tab when `title` is not a string. */
  documentTitle?: string;
  description?: ReactNode;
  breadcrumbs?: Crumb[];
  /** Badges next to the title. */
  badges?: ReactNode;
  actions?: ReactNode;
}

export function PageHeader({ title, documentTitle, description, breadcrumbs, badges, actions }: PageHeaderProps) {
  const { t } = useTranslation();
  const plain = documentTitle ?? (typeof title === 'string' ? title : '');
  useDocumentTitle(plain ? `${plain} · ${t('app.name')}` : t('app.name'));
  return (
    <Stack gap={6} mb="lg">
      {breadcrumbs && breadcrumbs.length > 0 && (
        <nav aria-label={t('common.breadcrumbs')}>
          <Breadcrumbs separatorMargin={6} fz="sm">
            {breadcrumbs.map((c, i) =>
              c.to && i < breadcrumbs.length - 1 ? (
                <Anchor key={c.to} component={Link} to={c.to} fz="sm">
                  {c.label}
                </Anchor>
              ) : (
                <Text key={c.label} fz="sm" c="dimmed" aria-current={i === breadcrumbs.length - 1 ? 'page' : undefined}>
                  {c.label}
                </Text>
              ),
            )}
          </Breadcrumbs>
        </nav>
      )}
      <Group justify="space-between" align="flex-start" gap="sm" wrap="wrap">
        <Stack gap={4} style={{ minWidth: 0, flex: '1 1 auto' }}>
          <Group gap="sm" align="center" wrap="wrap">
            <Title order={1} fz={{ base: 22, sm: 24 }} fw={600} style={{ overflowWrap: 'anywhere' }}>
              {title}
            </Title>
            {badges}
          </Group>
          {description && (
            <Text c="dimmed" fz="sm">
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
    </Stack>
  );
}
