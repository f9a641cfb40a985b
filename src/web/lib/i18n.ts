import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES } from '../../shared/offices/offices.schemas.ts';
import en from '../locales/en.json';
import fr from '../locales/fr.json';
import { readStored, writeStored } from './storage.ts';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_STORAGE_KEY = 'outpost.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language chosen on this device, if any. */
export function storedLanguage(): Language | undefined {
  const value = readStored(LANGUAGE_STORAGE_KEY);
  return isLanguage(value) ? value : undefined;
}

function initialLanguage(): Language {
  const stored = storedLanguage();
  if (stored) return stored;
  const browser = typeof navigator === 'undefined' ? '' : navigator.language.slice(0, 2).toLowerCase();
  return isLanguage(browser) ? browser : 'en';
}

function applyToDocument(language: string): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, fr: { translation: fr } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});
applyToDocument(i18n.language);
i18n.on('languageChanged', applyToDocument);

/** Switches the UI language and remembers the choice on this device. */
export async function changeLanguage(language: Language): Promise<void> {
  writeStored(LANGUAGE_STORAGE_KEY, language);
  await i18n.changeLanguage(language);
}

export function currentLanguage(): Language {
  const l = i18n.resolvedLanguage ?? i18n.language;
  return isLanguage(l) ? l : 'en';
}

export default i18n;

/** Forgets the language chosen on this device: the profile's (or the browser's) applies again. */
export function forgetLanguage(): void {
  writeStored(LANGUAGE_STORAGE_KEY, undefined);
}
