import i18n, { type BackendModule, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES } from '../../shared/offices/offices.schemas.ts';
import type en from '../locales/en.json';
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

/** One chunk per language: the browser fetches only the language in use (and another when the user switches). */
const LOCALES: Record<Language, () => Promise<{ default: ResourceKey }>> = {
  en: () => import('../locales/en.json'),
  fr: () => import('../locales/fr.json'),
};

/** An i18next backend over those chunks, so every `changeLanguage` loads what it needs before switching. */
const localeChunks: BackendModule = {
  type: 'backend',
  init() {},
  read(language, _namespace, callback) {
    if (!isLanguage(language)) return callback(null, {});
    LOCALES[language]().then(
      (m) => callback(null, m.default),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  },
};

/** Settles once the first language is loaded: render after it, so no key ever shows untranslated. */
export const i18nReady: Promise<unknown> = i18n
  .use(localeChunks)
  .use(initReactI18next)
  .init({
    lng: initialLanguage(),
    // Both files hold every key (tested in locales.test.ts): no second language to fetch as a fallback.
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    returnNull: false,
    // Ask for the chunk now, not on the next tick: it then loads alongside the session check.
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
