import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Debian's chromium, driven by playwright-core: the browser of every journey in e2e/. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function waitForChromium(): Promise<void> {
  for (let i = 0; i < 60 && !existsSync(CHROMIUM); i++) await sleep(2000);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
}
