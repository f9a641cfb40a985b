import { currentLanguage } from '../../lib/i18n.ts';

/** Template text in the user's language: the French text when there is one and the UI is in French. */
export function loc(en: string, fr: string | null | undefined, language: string = currentLanguage()): string {
  return language === 'fr' && fr ? fr : en;
}
