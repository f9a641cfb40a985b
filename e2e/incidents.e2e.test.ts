import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../src/server/lib/auth.ts';
import { startTestServer } from '../test/test-server.ts';
import { CHROMIUM, CHROMIUM_ARGS, waitForChromium } from './chromium.ts';

/**
 * The incident web UI in a real browser against the real server (demo office TBS): a staff member files a
 * quick report from a phone-sized screen, the first send is lost on the way back (the server made the
 * incident, the phone never heard) and the retry with the same client key makes no second incident; the
 * officer finds it in the list, opens it and triages it to severity 4. Screenshots land in test-results/;
 * axe-core finds no serious or critical problem on the screens visited.
 */

const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const STEP = 90_000;
const WHAT = 'Man filming the office entrance from a parked car';
const PASSWORD = 'incident e2e password long enough';
const STAFF = 'e2e-staff@example.org';
const OFFICER = 'e2e-officer@example.org';

/** The quick-report drafts kept in the page's localStorage. */
const DRAFT_KEYS = "Object.keys(localStorage).filter((k) => k.startsWith('outpost.incidents.quickReport.'))";

type Server = Awaited<ReturnType<typeof startTestServer>>;

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { html: string }[] }[];
}

async function axeProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(
    () => (globalThis as unknown as { axe: { run(): Promise<AxeResult> } }).axe.run() as Promise<AxeResult>,
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.html.slice(0, 160)).join(' | ')}`);
}

describe('incidents in a browser', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  let phone: BrowserContext;
  let phonePage: Page;
  let desk: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  const url = (path: string) => `${server?.url ?? ''}${path}`;
  const shot = (p: Page, name: string) => p.screenshot({ path: `${RESULTS}${name}`, fullPage: true });

  async function signIn(p: Page, email: string, next: string) {
    await p.goto(url(`/login?next=${encodeURIComponent(next)}`));
    await p.getByLabel('E-mail address').fill(email);
    await p.getByLabel(/^Password/).fill(PASSWORD);
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.waitForURL(url(next));
  }

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    await waitForChromium();
    server = await startTestServer({ demo: true });
    for (const [email, displayName, role] of [
      [STAFF, 'Nino Staff', 'staff'],
      [OFFICER, 'Giorgi Officer', 'security_officer'],
    ] as const) {
      await server.services.users.create(systemCtx, {
        email,
        displayName,
        role,
        officeCodes: ['TBS'],
        password: PASSWORD,
      });
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    phone = await browser.newContext({
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
    phone.setDefaultTimeout(15_000);
    phonePage = await phone.newPage();
    phonePage.on('pageerror', (error) => pageErrors.push(error.message));
    desk = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB', timezoneId: 'UTC' });
    desk.setDefaultTimeout(15_000);
    page = await desk.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 240_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') {
      const name = task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await page?.screenshot({ path: `${RESULTS}failed-incidents-${name}.png`, fullPage: true }).catch(() => {});
      await phonePage
        ?.screenshot({ path: `${RESULTS}failed-incidents-${name}-phone.png`, fullPage: true })
        .catch(() => {});
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    'staff files a quick report on a phone; a lost answer is retried without a duplicate',
    async () => {
      const p = phonePage;
      await signIn(p, STAFF, '/incidents/report');
      await p.getByRole('heading', { name: 'Report an incident', level: 1 }).waitFor();
      // Nothing sticks out of a 375 px screen.
      expect(await p.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

      await p.getByLabel(/^What happened\?/).fill(WHAT);
      await p.getByLabel(/^Where\?/).fill('Main gate, Chavchavadze Ave');
      await p.getByText('No', { exact: true }).click();
      await p.getByLabel(/^What help do you need\?/).fill('Please call me back');
      await shot(p, 'incidents-quick-report-phone.png');

      // The first send reaches the server but its answer is lost on the way back.
      let attempts = 0;
      await p.route('**/incidents/quick-report', async (route) => {
        attempts++;
        if (attempts === 1) {
          await route.fetch();
          await route.abort('connectionreset');
        } else {
          await route.continue();
        }
      });
      await p.getByRole('button', { name: 'Send report' }).click();
      await p.getByText('Not sent — will retry').waitFor();
      const kept = await p.evaluate<string[]>(DRAFT_KEYS);
      expect(kept).toHaveLength(1);
      await shot(p, 'incidents-quick-report-not-sent-phone.png');

      await p.getByRole('button', { name: 'Try again now' }).click();
      await p.getByText('Report sent').waitFor();
      expect(attempts).toBe(2);
      await p.getByText(/Your report TBS-\d{4}-\d{3} reached the security officer/).waitFor();
      expect(await p.evaluate<string[]>(DRAFT_KEYS)).toHaveLength(0);

      // One report, not two: the retry carried the same client key.
      const mine = p.getByRole('list', { name: 'Your reports' });
      await mine.getByRole('link', { name: new RegExp(WHAT.slice(0, 20)) }).waitFor();
      expect(await mine.getByRole('listitem').count()).toBe(1);
      await mine.getByText('Reported').waitFor();
      await shot(p, 'incidents-quick-report-sent-phone.png');
      expect(await axeProblems(p)).toEqual([]);
    },
    STEP,
  );

  it(
    'the officer finds the report in the list and on the board',
    async () => {
      await signIn(page, OFFICER, '/incidents');
      await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
      const row = page.getByRole('row', { name: new RegExp(WHAT.slice(0, 20)) });
      await row.waitFor();
      await row.getByText('Reported').waitFor();
      await row.getByText('Not rated').waitFor();
      await shot(page, 'incidents-list-desktop.png');
      expect(await axeProblems(page)).toEqual([]);

      await page.locator('label', { hasText: 'Board' }).click();
      await page
        .getByRole('region', { name: 'Reported' })
        .getByRole('link', { name: new RegExp(WHAT.slice(0, 20)) })
        .waitFor();
      await shot(page, 'incidents-board-desktop.png');
      await page.locator('label', { hasText: 'List' }).click();
    },
    STEP,
  );

  it(
    'the officer opens it and triages it to severity 4',
    async () => {
      await page
        .getByRole('link', { name: new RegExp(WHAT.slice(0, 20)) })
        .first()
        .click();
      await page.getByRole('heading', { level: 1, name: new RegExp(WHAT.slice(0, 20)) }).waitFor();
      await page.getByRole('tab', { name: 'Overview', selected: true }).waitFor();
      await page.getByText('Quick report').first().waitFor();

      await page.getByRole('button', { name: 'Change status' }).click();
      await page.getByRole('menuitem', { name: 'Triage…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Triage' });
      await dialog.getByRole('combobox', { name: /^Severity/ }).click();
      await page.getByRole('option', { name: '4 · Critical' }).click();
      await dialog.getByText('Severity 3 and 4 alert the head of office').waitFor();
      await shot(page, 'incidents-triage-desktop.png');
      await dialog.getByRole('button', { name: 'Triage', exact: true }).click();
      await page.getByText(/triaged at severity 4/).waitFor();
      await page.getByText('S4 · Critical').first().waitFor();
      await page.getByText('Triaged').first().waitFor();
      // The toasts (the app shell's) go away by themselves; axe looks at the page itself.
      await page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached', timeout: 10_000 });
      await shot(page, 'incidents-incident-desktop.png');
      expect(await axeProblems(page)).toEqual([]);
    },
    STEP,
  );

  it(
    'shows the metrics with the offline map',
    async () => {
      await page.goto(url('/incidents/metrics'));
      await page.getByRole('heading', { name: 'Incident metrics', level: 1 }).waitFor();
      await page.getByRole('img', { name: /^Map with \d+ incidents/ }).waitFor();
      await shot(page, 'incidents-metrics-desktop.png');
      expect(pageErrors).toEqual([]);
    },
    STEP,
  );
});
