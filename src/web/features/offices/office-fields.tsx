import { MultiSelect, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../../../shared/offices/offices.schemas.ts';
import type { FormFields } from '../../lib/form.ts';
import { countryOptions, timeZones } from '../../lib/format.ts';
import { currentLanguage, type Language } from '../../lib/i18n.ts';

export interface OfficeValues {
  code: string;
  name: string;
  countries: string[];
  timezone: string;
  defaultLanguage: Language;
}

/** The office's editable fields; `code` only when creating (it never changes afterwards). */
export function OfficeFields({
  form,
  withCode,
  readOnly = false,
}: {
  form: FormFields<OfficeValues>;
  withCode: boolean;
  readOnly?: boolean;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const countries = useMemo(() => countryOptions(language), [language]);
  const zones = useMemo(() => timeZones().map((z) => ({ value: z, label: z.replaceAll('_', ' ') })), []);
  return (
    <Stack gap="md">
      {withCode && (
        <TextInput
          label={t('offices.fields.code')}
          description={t('offices.fields.codeHelp')}
          required
          maxLength={10}
          autoCapitalize="characters"
          spellCheck={false}
          value={form.values.code}
          onChange={(e) => form.setValue('code', e.currentTarget.value.toUpperCase())}
          onBlur={() => form.touch('code')}
          error={form.errorOf('code')}
          styles={{ input: { textTransform: 'uppercase', fontFamily: 'var(--mantine-font-family-monospace)' } }}
          data-autofocus
        />
      )}
      <TextInput
        label={t('offices.fields.name')}
        required={!readOnly}
        readOnly={readOnly}
        maxLength={200}
        value={form.values.name}
        onChange={(e) => form.setValue('name', e.currentTarget.value)}
        onBlur={() => form.touch('name')}
        error={form.errorOf('name')}
      />
      <MultiSelect
        label={t('offices.fields.countries')}
        description={t('offices.fields.countriesHelp')}
        required={!readOnly}
        readOnly={readOnly}
        searchable
        clearable={!readOnly}
        hidePickedOptions
        data={countries}
        value={form.values.countries}
        onChange={(v) => form.setValue('countries', v)}
        onBlur={() => form.touch('countries')}
        error={form.errorOf('countries')}
        nothingFoundMessage={t('common.nothingFound')}
        maxValues={50}
        comboboxProps={{ withinPortal: true }}
      />
      <Select
        label={t('offices.fields.timezone')}
        description={t('offices.fields.timezoneHelp')}
        required={!readOnly}
        readOnly={readOnly}
        searchable
        data={zones}
        value={form.values.timezone || null}
        onChange={(v) => form.setValue('timezone', v ?? '')}
        onBlur={() => form.touch('timezone')}
        error={form.errorOf('timezone')}
        nothingFoundMessage={t('common.nothingFound')}
        limit={50}
        comboboxProps={{ withinPortal: true }}
      />
      <Stack gap={4}>
        <Text fz="sm" fw={500} id="office-language-label">
          {t('offices.fields.defaultLanguage')}
        </Text>
        <SegmentedControl
          aria-labelledby="office-language-label"
          readOnly={readOnly}
          data={LANGUAGES.map((l) => ({ value: l, label: t(`language.native.${l}`) }))}
          value={form.values.defaultLanguage}
          onChange={(v) => form.setValue('defaultLanguage', v === 'fr' ? 'fr' : 'en')}
          w="fit-content"
        />
        <Text fz="xs" c="dimmed">
          {t('offices.fields.defaultLanguageHelp')}
        </Text>
      </Stack>
    </Stack>
  );
}
