import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../test/test-server.ts';
import { recordVerification } from '../test/verification.ts';
import { CHROMIUM, CHROMIUM_ARGS, waitForChromium } from './chromium.ts';

/**
 * Stored cross-site scripting: hostile text saved through the API is shown as text on every screen
 * that displays it, and never runs. Each payload, if it ran, would set `window.__xss` or open a
 * dialog; the test fails on either, and checks the text is visible as typed.
 */

const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));
const STEP = 60_000;

const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=2">',
  '"><svg onload=window.__xss=3>',
  "'';!--\"<XSS>=&{()}",
  '<a href="javascript:window.__xss=4">click</a>',
  '{{constructor.constructor("window.__xss=5")()}}',
];

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe('stored XSS in a browser', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];
  const cspViolations: string[] = [];
  let officeId = '';

  const url = (path: string) => `${server?.url ?? ''}${path}`;

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    await waitForChromium();
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1280, height: 820 }, locale: 'en-GB', timezoneId: 'UTC' });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('console', (m) => {
      if (/content security policy/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });

    // Signing in through the API puts the session cookie in the browser context.
    const headers = { origin: url('') };
    const login = await context.request.post(url('/api/v1/auth/login'), {
      headers,
      data: { email: server.adminEmail, password: server.adminPassword },
    });
    expect(login.status()).toBe(200);
    const office = await context.request.post(url('/api/v1/offices'), {
      headers,
      data: {
        code: 'XSS',
        name: `${PAYLOADS[0]} office`,
        countries: ['GE'],
        timezone: 'Asia/Tbilisi',
      },
    });
    expect(office.status(), await office.text()).toBe(201);
    officeId = (await office.json()).id;
    for (const [i, payload] of PAYLOADS.entries()) {
      const site = await context.request.post(url(`/api/v1/offices/${officeId}/sites`), {
        headers,
        data: {
          name: `Site ${i} ${payload}`,
          kind: 'office_premises',
          country: 'GE',
          address: payload,
          notes: payload,
        },
      });
      expect(site.status(), await site.text()).toBe(201);
    }
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const inertScreens: string[] = [];
  async function assertInert(screen: string) {
    await page.waitForLoadState('networkidle');
    const fired = await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss ?? null);
    expect(fired, `a payload ran on ${screen}`).toBeNull();
    expect(dialogs, `a dialog opened on ${screen}`).toEqual([]);
    expect(cspViolations, `something tried to run on ${screen}`).toEqual([]);
    await page.screenshot({ path: `${RESULTS}xss-${screen}.png` });
    inertScreens.push(screen);
  }

  it(
    'shows hostile office and site names as text on the lists, the record and the audit trail',
    async () => {
      await page.goto(url('/offices'));
      await page.getByText(`${PAYLOADS[0]} office`).first().waitFor();
      await assertInert('offices');

      await page.goto(url(`/offices/${officeId}`));
      await page.getByRole('heading', { name: `${PAYLOADS[0]} office`, level: 1 }).waitFor();
      await assertInert('office');

      await page.goto(url(`/offices/${officeId}/sites`));
      for (const [i, payload] of PAYLOADS.entries()) {
        await page.getByText(`Site ${i} ${payload}`, { exact: true }).first().waitFor();
      }
      // No element was created from the payloads' markup.
      expect(await page.locator('img[src="x"], svg[onload], script:not([src])').count()).toBe(0);
      await assertInert('sites');

      await page.goto(url('/'));
      await assertInert('dashboard');

      await page.goto(url('/admin/audit'));
      await page.getByText(/XSS/).first().waitFor();
      await assertInert('audit');
      recordVerification({
        key: '4-xss',
        check: 'stored XSS in Debian chromium: office name, site name, address and notes',
        measured: `${PAYLOADS.length} payloads × 4 fields on ${inertScreens.length} screens (${inertScreens.join(', ')}); 0 ran, 0 dialogs, 0 CSP violations`,
        requirement: 'no payload executes (dialog, global marker or CSP violation fails the test)',
        ok: true,
      });
    },
    STEP,
  );
});
