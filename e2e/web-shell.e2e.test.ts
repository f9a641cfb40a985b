import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../test/test-server.ts';
import { CHROMIUM, CHROMIUM_ARGS, waitForChromium } from './chromium.ts';

/**
 * The web app in a real browser against the real server: sign in, the shell in English and French,
 * client-side validation, creating an office and a site through the UI, and the phone layout.
 * Screenshots land in test-results/ for a human to look at.
 */

const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));
const STEP = 60_000;

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe('web shell in a browser', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let officeUrl = '';
  const pageErrors: string[] = [];

  const url = (path: string) => `${server?.url ?? ''}${path}`;
  const shot = (name: string) => page.screenshot({ path: `${RESULTS}${name}`, fullPage: false });

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    await waitForChromium();
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({
      viewport: { width: 1280, height: 820 },
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 240_000);

  // A failed step leaves a picture of the page behind, to see what the browser saw.
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) {
      const name = task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await page.screenshot({ path: `${RESULTS}failed-${name}.png`, fullPage: true }).catch(() => {});
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    'sends a stranger to sign in, then back to the page asked for',
    async () => {
      await page.goto(url('/offices'));
      await page.waitForURL(/\/login\?next=%2Foffices$/);
      await page.getByRole('heading', { name: 'Sign in to Outpost' }).waitFor();

      // Client-side validation with the shared schema, in the user's language.
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByText('Enter an e-mail address, e.g. name@example.org.').waitFor();

      await page.getByLabel('E-mail address').fill(server?.adminEmail ?? '');
      await page.getByLabel(/^Password/).fill('not the password at all');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByText('The e-mail address or the password is not right.').waitFor();

      await page.getByLabel(/^Password/).fill(server?.adminPassword ?? '');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(url('/offices'));
      await page.getByRole('heading', { name: 'Offices', level: 1 }).waitFor();
    },
    STEP,
  );

  it(
    'shows the shell in English, switches to French and back',
    async () => {
      await page.goto(url('/'));
      await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Modules' });
      for (const name of ['Incidents', 'Risks', 'Compliance', 'Offices & sites', 'Administration']) {
        await nav.getByRole('link', { name: new RegExp(`^${name}`) }).waitFor();
      }
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await shot('shell-en.png');

      await page.getByRole('button', { name: /Change language/ }).click();
      await page.getByRole('menuitem', { name: 'Français' }).click();
      await page.getByRole('heading', { name: 'Tableau de bord', level: 1 }).waitFor();
      await page.getByRole('menu').waitFor({ state: 'hidden' });
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      await page
        .getByRole('navigation', { name: 'Modules' })
        .getByRole('link', { name: /^Risques/ })
        .waitFor();
      await shot('shell-fr.png');

      // The choice is remembered on this device.
      await page.reload();
      await page.getByRole('heading', { name: 'Tableau de bord', level: 1 }).waitFor();

      await page.getByRole('button', { name: /Changer de langue/ }).click();
      await page.getByRole('menuitem', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
    },
    STEP,
  );

  it(
    'creates an office through the UI and opens it',
    async () => {
      await page.goto(url('/offices'));
      await page.getByText('No office yet').first().waitFor();
      await page.getByRole('button', { name: 'New office' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'New office' });

      // Invalid input is caught before anything is sent, next to the field.
      await dialog.getByLabel(/^Code/).fill('1X');
      await dialog.getByRole('button', { name: 'Create office' }).click();
      await dialog.getByText('Use 2 to 10 letters or digits, starting with a letter, e.g. TBS.').waitFor();
      await dialog.getByText('Choose at least one country.').waitFor();

      await dialog.getByLabel(/^Code/).fill('tbs');
      await dialog.getByLabel(/^Name/).fill('Tbilisi liaison office');
      const countries = dialog.getByRole('combobox', { name: /^Countries/ });
      await countries.fill('Georgia');
      await page.getByRole('option', { name: 'Georgia (GE)' }).click();
      await countries.fill('Armenia');
      await page.getByRole('option', { name: 'Armenia (AM)' }).click();
      await page.keyboard.press('Escape');
      const zone = dialog.getByRole('combobox', { name: /^Time zone/ });
      await zone.fill('Tbilisi');
      await page.getByRole('option', { name: 'Asia/Tbilisi' }).click();
      await dialog.getByRole('button', { name: 'Create office' }).click();

      await page.waitForURL(/\/offices\/[0-9a-f-]{36}$/);
      officeUrl = page.url();
      await page.getByRole('heading', { name: 'Tbilisi liaison office', level: 1 }).waitFor();
      const crumbs = page.getByRole('navigation', { name: 'Breadcrumbs' });
      await crumbs.getByRole('link', { name: 'Offices & sites' }).waitFor();
      await crumbs.getByText('TBS').waitFor();
      await page.getByRole('tab', { name: 'Overview', selected: true }).waitFor();
      await page.getByText('Office TBS created.').waitFor();
      await shot('office.png');

      // The list shows it, and the office switcher picked it up.
      await page.goto(url('/offices'));
      await page.getByRole('link', { name: 'TBS' }).waitFor();
      await page.getByRole('row', { name: /Tbilisi liaison office/ }).waitFor();
      expect(await page.getByRole('combobox', { name: 'Current office' }).inputValue()).toContain('TBS');
    },
    STEP,
  );

  it(
    'adds a site to the office and shows it on the dashboard',
    async () => {
      await page.goto(`${officeUrl}/sites`);
      await page.getByText('No site yet').waitFor();
      await page.getByRole('button', { name: 'Add site' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Add site' });
      await dialog.getByLabel(/^Name/).fill('Main office');
      await dialog.getByLabel(/^City/).fill('Tbilisi');
      await dialog.getByLabel(/^Latitude/).fill('41.7151');
      await dialog.getByRole('button', { name: 'Add site' }).click();
      await dialog.getByText('Give both latitude and longitude, or neither.').waitFor();
      await dialog.getByLabel(/^Longitude/).fill('44.8271');
      await dialog.getByRole('button', { name: 'Add site' }).click();
      await page.getByRole('row', { name: /Main office/ }).waitFor();
      await page.getByText('Site Main office added.').waitFor();

      await page.goto(url('/'));
      await page.getByRole('heading', { name: 'Tbilisi liaison office' }).waitFor();
      await page.getByText('(Asia/Tbilisi)').waitFor();
      await page.getByRole('link', { name: '1 site' }).waitFor();
    },
    STEP,
  );

  it(
    'says honestly which modules are not built yet',
    async () => {
      await page.goto(url('/risks'));
      await page.getByRole('heading', { name: 'Risks', level: 1 }).waitFor();
      await page.getByText('Not built yet', { exact: true }).waitFor();
      await page.getByText('What this module will do').waitFor();
    },
    STEP,
  );

  it(
    'fits a phone: the navigation hides behind a burger',
    async () => {
      const phone = await browser?.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'en-GB',
        timezoneId: 'UTC',
        storageState: await context.storageState(),
      });
      if (!phone) throw new Error('no browser');
      const p = await phone.newPage();
      await p.goto(url('/'));
      await p.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      const burger = p.getByRole('button', { name: 'Open navigation' });
      await burger.waitFor();
      // Closed, the navigation is off-screen and inert (no focus can wander into it).
      const navigation = p.locator('#app-navigation');
      expect(await navigation.getAttribute('inert')).not.toBeNull();
      const box = await navigation.boundingBox();
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(0);
      await p.screenshot({ path: `${RESULTS}shell-phone.png` });
      await burger.click();
      await p
        .getByRole('navigation', { name: 'Modules' })
        .getByRole('link', { name: /^Risks/ })
        .waitFor();
      expect(await navigation.getAttribute('inert')).toBeNull();
      // Let the slide-in finish before taking the picture.
      for (let i = 0; i < 20 && ((await navigation.boundingBox())?.x ?? -1) < 0; i++) await sleep(50);
      await p.screenshot({ path: `${RESULTS}shell-phone-nav.png` });
      await p
        .getByRole('navigation', { name: 'Modules' })
        .getByRole('link', { name: /^Offices & sites/ })
        .click();
      await p.getByRole('heading', { name: 'Offices', level: 1 }).waitFor();
      await phone.close();
    },
    STEP,
  );

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
