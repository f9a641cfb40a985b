import { Button, Menu } from '@mantine/core';
import { IconCheck, IconLanguage } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../../shared/offices/offices.schemas.ts';
import { changeLanguage, currentLanguage, type Language } from '../lib/i18n.ts';

/**
 * EN/FR switch; the choice is kept on this device and sets `<html lang>`. Signed in, `onChosen` also
 * saves it to the user's profile.
 */
export function LanguageSwitcher({ onChosen }: { onChosen?: (language: Language) => void } = {}) {
  const { t } = useTranslation();
  const current = currentLanguage();
  const choose = (language: Language) => {
    void changeLanguage(language);
    if (language !== current) onChosen?.(language);
  };
  return (
    <Menu position="bottom-end" shadow="md" width={180}>
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          size="compact-sm"
          leftSection={<IconLanguage size={16} aria-hidden />}
          // The visible code starts the accessible name (WCAG 2.5.3, label in name).
          aria-label={`${current.toUpperCase()} · ${t('language.switch', { language: t(`language.names.${current}`) })}`}
        >
          {current.toUpperCase()}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('language.label')}</Menu.Label>
        {LANGUAGES.map((lang) => (
          <Menu.Item
            key={lang}
            lang={lang}
            onClick={() => choose(lang)}
            rightSection={lang === current ? <IconCheck size={14} aria-label={t('common.selected')} /> : null}
            aria-current={lang === current ? 'true' : undefined}
          >
            {t(`language.native.${lang}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
