import { Badge, Group, List, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconHourglass, IconPoint } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { type ModuleKey, moduleByKey } from '../../app/modules.ts';
import { PageHeader } from '../../components/page-header.tsx';

/** A module of the capability map that is not built yet: says honestly what it will do. */
export function ComingSoonPage({ moduleKey }: { moduleKey: ModuleKey }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader
        title={t(`modules.${moduleKey}.name`)}
        breadcrumbs={[{ label: t(`modules.${moduleKey}.name`) }]}
        badges={<NotBuiltBadge />}
        description={t(`modules.${moduleKey}.summary`)}
      />
      <ComingFeatures moduleKey={moduleKey} title={t('coming.willDo')} explainer={t('coming.explainer')} />
    </>
  );
}

export function NotBuiltBadge() {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color="gray" radius="sm" tt="none" leftSection={<IconHourglass size={12} aria-hidden />}>
      {t('coming.badge')}
    </Badge>
  );
}

/** The translated bullet points `modules.<key>.features`: what the module will do. */
export function ComingFeatures({
  moduleKey,
  title,
  explainer,
}: {
  moduleKey: ModuleKey;
  title: string;
  explainer: string;
}) {
  const { t } = useTranslation();
  const m = moduleByKey(moduleKey);
  const features: readonly string[] = t(`modules.${moduleKey}.features`, { returnObjects: true });
  return (
    <Paper withBorder radius="md" p="lg" maw={760}>
      <Stack gap="md">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <ThemeIcon variant="light" size="lg" radius="md" color="gray">
            <m.icon size={20} aria-hidden />
          </ThemeIcon>
          <Stack gap={2}>
            <Title order={2} fz="md" fw={600}>
              {title}
            </Title>
            <Text fz="sm" c="dimmed">
              {explainer}
            </Text>
          </Stack>
        </Group>
        <List
          spacing={6}
          fz="sm"
          icon={
            <ThemeIcon size={18} radius="xl" variant="light" color="gray">
              <IconPoint size={12} aria-hidden />
            </ThemeIcon>
          }
        >
          {features.map((f) => (
            <List.Item key={f}>{f}</List.Item>
          ))}
        </List>
      </Stack>
    </Paper>
  );
}
