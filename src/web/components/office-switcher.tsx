import { Select, Text } from '@mantine/core';
import { IconBuilding } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useOffices } from '../app/office-context.tsx';

/** Chooses the office the user works in; remembered on this device. */
export function OfficeSwitcher({ fullWidth = false }: { fullWidth?: boolean }) {
  const { t } = useTranslation();
  const { offices, current, select, isLoading } = useOffices();
  if (!isLoading && offices.length === 0) {
    return (
      <Text fz="sm" c="dimmed">
        {t('officeSwitcher.none')}
      </Text>
    );
  }
  return (
    <Select
      aria-label={t('officeSwitcher.label')}
      placeholder={isLoading ? t('common.loading') : t('officeSwitcher.placeholder')}
      data={offices.map((o) => ({ value: o.id, label: `${o.code} · ${o.name}` }))}
      value={current?.id ?? null}
      onChange={(id) => id && select(id)}
      allowDeselect={false}
      searchable={offices.length > 8}
      nothingFoundMessage={t('common.nothingFound')}
      leftSection={<IconBuilding size={16} aria-hidden />}
      size="sm"
      w={fullWidth ? '100%' : 260}
      // The list of offices is rendered when opened, not kept (hidden) in the page from the start.
      comboboxProps={{ withinPortal: true, keepMounted: false }}
    />
  );
}
