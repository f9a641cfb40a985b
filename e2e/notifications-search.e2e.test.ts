import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../scripts/web-build.js';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { systemCtx } from '../src/server/lib/auth.ts';
import { systemClock } from '../src/server/lib/clock.ts';
import { silentLogger } from '../src/server/lib/logger.ts';
import { type HookReceiver, type SmtpSink, startHookReceiver, startSmtpSink } from '../test/notification-sinks.ts';
import { testDatabase } from '../test/test-db.ts';
import { CHROMIUM, CHROMIUM_ARGS, waitForChromium } from './chromium.ts';

/**
 * The shell's notification bell and inbox, the search dialog (`/`, Ctrl+K) and results page, the
 * notification settings of the account, and Administration → integrations (SMTP with a test e-mail to a
 * real loopback SMTP server, a webhook with its secret shown once and a test call to a real receiver,
 * the delivery log, scheduled jobs), in a real browser against the real server. Screenshots, desktop
 * and phone, land in test-results/.
 */

const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));
const STEP = 60_000;
const ADMIN = { email: 'e2e-admin@example.org', password: 'e2e password of enough length' };
const COLLEAGUE = { email: 'hq.colleague@example.org', password: 'another e2e password, long enough' };

interface Server {
  url: string;
  adminId: string;
  close(): Promise<void>;
}

/**
 * Like test/test-server.ts, with a second account (an HQ security colleague who assigns work) and
 * outbound connections to loopback allowed (the SMTP sink and the webhook receiver live there).
 */
async function startServer(): Promise<Server> {
  ensureWebBuilt({ quiet: true });
  const db = await testDatabase('sqlite');
  const config = loadConfig({ DATA_DIR: db.dataDir, LOG_LEVEL: 'silent', PORT: '0', OUTBOUND_ALLOW: '127.0.0.1' });
  const app = await buildApp({ config, database: db.database, clock: systemClock, logger: silentLogger });
  const { user: admin } = await app.services.users.create(systemCtx, {
    ...ADMIN,
    displayName: 'E2E Admin',
    role: 'admin',
  });
  await app.services.users.create(systemCtx, { ...COLLEAGUE, displayName: 'Nino Beridze', role: 'hq_security' });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    adminId: admin.id,
    async close() {
      await app.close();
      await db.cleanup();
    },
  };
}

describe('notifications, search and integrations in a browser', () => {
  let server: Server | undefined;
  let smtp: SmtpSink | undefined;
  let hooks: HookReceiver | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let officeId = '';
  let siteId = '';
  let taskId = '';
  const pageErrors: string[] = [];

  const url = (path: string) => `${server?.url ?? ''}${path}`;
  const shot = (name: string, p: Page = page) => p.screenshot({ path: `${RESULTS}${name}`, fullPage: false });

  async function phonePage(): Promise<{ phone: BrowserContext; p: Page }> {
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
    phone.setDefaultTimeout(15_000);
    const p = await phone.newPage();
    p.on('pageerror', (error) => pageErrors.push(error.message));
    return { phone, p };
  }

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    await waitForChromium();
    server = await startServer();
    smtp = await startSmtpSink();
    hooks = await startHookReceiver();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1280, height: 820 }, locale: 'en-GB', timezoneId: 'UTC' });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));

    // The administrator signs in through the API: the session cookie lands in the browser context.
    const headers = { origin: url('') };
    const login = await context.request.post(url('/api/v1/auth/login'), { headers, data: ADMIN });
    expect(login.status(), await login.text()).toBe(200);
    const office = await context.request.post(url('/api/v1/offices'), {
      headers,
      data: { code: 'TBS', name: 'Tbilisi liaison office', countries: ['GE'], timezone: 'Asia/Tbilisi' },
    });
    expect(office.status(), await office.text()).toBe(201);
    officeId = (await office.json()).id;
    const site = await context.request.post(url(`/api/v1/offices/${officeId}/sites`), {
      headers,
      data: {
        name: 'Gldani radio relay',
        kind: 'office_premises',
        country: 'GE',
        city: 'Tbilisi',
        notes: 'VHF repeater on the roof; generator tested monthly. <b>not bold</b>',
      },
    });
    expect(site.status(), await site.text()).toBe(201);
    siteId = (await site.json()).id;
  }, 240_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page) {
      const name = task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await page.screenshot({ path: `${RESULTS}failed-${name}.png`, fullPage: true }).catch(() => {});
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
    await hooks?.close();
  });

  it(
    'shows an empty bell, then a count once a colleague assigns a task; the inbox opens it and marks it read',
    async () => {
      await page.goto(url('/'));
      await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      const bell = page.getByRole('button', { name: 'Notifications', exact: true });
      await bell.waitFor();
      await bell.click();
      await page.getByRole('dialog', { name: 'Notifications' }).getByText('You are all caught up').waitFor();
      await page.keyboard.press('Escape');

      // A colleague, in their own session, assigns the administrator a task.
      const colleague = await browser?.newContext();
      if (!colleague) throw new Error('no browser');
      const headers = { origin: url('') };
      const login = await colleague.request.post(url('/api/v1/auth/login'), { headers, data: COLLEAGUE });
      expect(login.status(), await login.text()).toBe(200);
      const task = await colleague.request.post(url(`/api/v1/offices/${officeId}/tasks`), {
        headers,
        data: {
          title: 'Replace the relay battery',
          ownerUserId: server?.adminId,
          dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
          priority: 'high',
        },
      });
      expect(task.status(), await task.text()).toBe(201);
      taskId = (await task.json()).id;
      await colleague.close();

      // The count is read again when the tab comes back into view (and every 30 s anyway).
      await sleep(5_500);
      await page.evaluate("document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))");
      const unreadBell = page.getByRole('button', { name: 'Notifications, 1 unread' });
      await unreadBell.waitFor({ timeout: 40_000 });
      await shot('notifications-bell-count.png');

      await unreadBell.click();
      const popover = page.getByRole('dialog', { name: 'Notifications' });
      await popover.getByRole('link', { name: /Task assigned to you: Replace the relay battery/ }).waitFor();
      await popover.getByText('Nino Beridze assigned you the task').waitFor();
      await sleep(250); // the popover fades in
      await shot('notifications-bell-open.png');

      await popover.getByRole('link', { name: 'See all notifications' }).click();
      await page.waitForURL(url('/inbox'));
      // The bell's popover closes on the way: it fades out (150 ms) and leaves the page. The production build
      // can show the inbox before the fade ends, so wait for it to be gone rather than rely on a slow render.
      await popover.waitFor({ state: 'detached' });
      await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
      // Exact: the popover's list is "Latest notifications", which a substring match would also find.
      const inbox = page.getByRole('list', { name: 'Notifications', exact: true });
      const item = inbox.getByRole('link', { name: /Task assigned to you: Replace the relay battery/ });
      await item.waitFor();
      await page.getByText('Unread (1)').waitFor();
      await shot('notifications-inbox.png');

      // Opening it follows its link and marks it read.
      await item.click();
      await page.waitForURL(url(`/tasks/${taskId}`));
      await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
      await page.goto(url('/inbox?filter=unread'));
      await page.getByText('Nothing unread').waitFor();
      await page.goto(url('/inbox'));
      await page.getByRole('link', { name: /Task assigned to you: Replace the relay battery/ }).waitFor();
      expect(await page.getByRole('button', { name: /^Mark read:/ }).count()).toBe(0);
    },
    STEP * 2,
  );

  it(
    'finds a site with / : the hit is marked, arrows and Enter open it; Ctrl+K and Esc; the full results page',
    async () => {
      await page.goto(url('/'));
      await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Search', exact: true }).waitFor();
      await page.keyboard.press('/');
      const dialog = page.getByRole('dialog', { name: 'Search' });
      const input = dialog.getByRole('combobox', { name: 'Search records' });
      await input.waitFor();
      await dialog.getByText('Type to search offices, sites, people, tasks and more.').waitFor();
      await input.pressSequentially('gldani radio', { delay: 40 });
      const listbox = dialog.getByRole('listbox', { name: 'Search results' });
      const option = listbox.getByRole('option', { name: /Gldani radio relay/ });
      await option.waitFor();
      // The words found are marked, as text: the stored markup is shown, never run.
      expect(await option.locator('mark').first().textContent()).toBe('Gldani');
      await listbox.getByRole('group', { name: 'Site' }).waitFor();
      expect(await input.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
      await shot('search-dialog.png');

      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.pathname === `/offices/${officeId}/sites` && u.search.includes(siteId));
      await dialog.waitFor({ state: 'detached' });

      // Ctrl+K opens it from anywhere, Esc closes it; nothing typed yet means no request at all.
      await page.keyboard.press('Control+k');
      await input.waitFor();
      await input.fill('zzzznotthere');
      await dialog.getByText('No results for “zzzznotthere”').waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });

      await page.goto(url('/search?q=generator'));
      await page.getByRole('heading', { name: 'Results for “generator”', level: 1 }).waitFor();
      const results = page.getByRole('list', { name: 'Search results' });
      const result = results.getByRole('link', { name: /Gldani radio relay/ });
      await result.waitFor();
      expect(await result.locator('mark').first().textContent()).toBe('generator');
      await shot('search-page.png');
      // Hostile-looking text in a record is shown as text.
      expect(await page.locator('b', { hasText: 'not bold' }).count()).toBe(0);
    },
    STEP,
  );

  it(
    'saves notification settings on the account page',
    async () => {
      await page.goto(url('/account'));
      const section = page.getByRole('region', { name: 'Notifications' });
      await section.getByRole('switch', { name: 'Someone comments on my task' }).waitFor();
      await section.getByRole('switch', { name: 'Someone comments on my task' }).click();
      await section.getByRole('switch', { name: /daily digest/ }).click();
      await section.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Notification settings saved.').waitFor();
      await section.scrollIntoViewIfNeeded();
      await shot('notifications-preferences.png');
      await page.reload();
      await page
        .getByRole('region', { name: 'Notifications' })
        .getByRole('switch', { name: /daily digest/ })
        .waitFor();
      expect(
        await page
          .getByRole('region', { name: 'Notifications' })
          .getByRole('switch', { name: /daily digest/ })
          .isChecked(),
      ).toBe(true);
      expect(
        await page
          .getByRole('region', { name: 'Notifications' })
          .getByRole('switch', { name: 'Someone comments on my task' })
          .isChecked(),
      ).toBe(false);
    },
    STEP,
  );

  it(
    'lets the administrator save SMTP settings and send a test e-mail that arrives',
    async () => {
      await page.goto(url('/admin'));
      await page.getByRole('tab', { name: 'Integrations' }).click();
      await page.waitForURL(url('/admin/integrations'));
      const smtpForm = page.getByRole('form', { name: 'Outgoing e-mail (SMTP)' });
      await smtpForm.getByLabel(/^Server/).waitFor();
      await page.getByRole('region', { name: 'Outgoing e-mail (SMTP)' }).getByText('Not configured').waitFor();
      await shot('integrations-empty.png');

      await smtpForm.getByLabel(/^Server/).fill('127.0.0.1');
      await smtpForm.getByRole('combobox', { name: /^Security/ }).click();
      await page.getByRole('option', { name: 'None (a local relay only)' }).click();
      expect(await smtpForm.getByLabel(/^Port/).inputValue()).toBe('25');
      await smtpForm.getByLabel(/^Port/).fill(String(smtp?.port));
      await smtpForm.getByLabel(/^User name/).fill('relay-user');
      await smtpForm.getByLabel(/^Password/).fill('relay secret');
      await smtpForm.getByLabel(/^Sender address/).fill('not an address');
      await smtpForm.getByRole('button', { name: 'Save changes' }).click();
      await smtpForm.locator('input[aria-invalid="true"]').first().waitFor();
      expect(await smtpForm.getByLabel(/^Sender address/).getAttribute('aria-invalid')).toBe('true');
      await smtpForm.getByLabel(/^Sender address/).fill('outpost@example.org');
      await smtpForm.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('E-mail settings saved.').waitFor();
      await smtpForm.getByText('A password is stored; it is never shown.').waitFor();
      expect(await smtpForm.getByLabel(/^Password/).inputValue()).toBe('');

      await smtpForm.getByRole('button', { name: 'Send test e-mail' }).click();
      await smtpForm.getByText(`The test e-mail was accepted by the server for ${ADMIN.email}.`).waitFor();
      const mails = (await smtp?.waitFor(1)) ?? [];
      expect(mails[0]?.to).toEqual([ADMIN.email]);
      expect(smtp?.auths).toContain('relay-user:relay secret');
      await shot('integrations-smtp.png');
    },
    STEP,
  );

  it(
    'adds a webhook (secret shown once), sends it a test event, and shows both in the delivery log',
    async () => {
      await page.goto(url('/admin/integrations'));
      const webhooks = page.getByRole('region', { name: 'Webhooks' });
      await webhooks.getByText('No webhook yet').waitFor();
      await webhooks.getByRole('button', { name: 'New webhook' }).click();
      const dialog = page.getByRole('dialog', { name: 'New webhook' });
      await dialog.getByLabel(/^Name/).fill('Ops chat');
      await dialog.getByLabel(/^URL/).fill('ftp://nope');
      await dialog.getByRole('button', { name: 'Add webhook' }).click();
      await dialog.locator('input[aria-invalid="true"]').first().waitFor();
      expect(await dialog.getByLabel(/^URL/).getAttribute('aria-invalid')).toBe('true');
      await dialog.getByLabel(/^URL/).fill(hooks?.url ?? '');
      await shot('integrations-webhook-form.png');
      await dialog.getByRole('button', { name: 'Add webhook' }).click();
      const secretDialog = page.getByRole('dialog', { name: 'Webhook added: its signing secret' });
      await secretDialog.getByRole('button', { name: 'Copy secret' }).waitFor();
      const secret = (await secretDialog.locator('pre, code').first().textContent())?.trim() ?? '';
      expect(secret.length).toBeGreaterThan(16);
      await shot('integrations-webhook-secret.png');
      await secretDialog.getByRole('button', { name: 'Done' }).click();

      const row = webhooks.getByRole('row', { name: /Ops chat/ });
      await row.waitFor();
      await row.getByRole('button', { name: 'Send a test event to Ops chat' }).click();
      await page.getByText('Test event delivered to Ops chat (HTTP 200).').waitFor();
      expect(hooks?.hits.length).toBe(1);
      expect(JSON.stringify(hooks?.hits[0]?.headers)).toContain('x-outpost-signature');
      // The secret is never shown again.
      expect(await page.getByText(secret).count()).toBe(0);

      // The log is read again after the test call: the webhook call and the earlier test e-mail are in it.
      const log = page.getByRole('table', { name: 'Delivery log' });
      await log.getByRole('row', { name: /Webhook.*Ops chat/ }).waitFor();
      await log
        .getByRole('row', { name: /E-mail/ })
        .first()
        .waitFor();
      await page.getByRole('table', { name: 'Scheduled jobs' }).waitFor();
      await log.getByRole('row', { name: /Webhook.*Ops chat/ }).click();
      const detail = page.getByRole('dialog', { name: 'Delivery' });
      await detail.getByRole('table', { name: 'Attempts' }).getByRole('cell', { name: '200', exact: true }).waitFor();
      await shot('integrations-delivery.png');
      await page.keyboard.press('Escape');
      await page.screenshot({ path: `${RESULTS}integrations-full.png`, fullPage: true });
    },
    STEP,
  );

  it(
    'fits a phone: bell, search icon and dialog, inbox, integrations',
    async () => {
      const { phone, p } = await phonePage();
      try {
        await p.goto(url('/'));
        await p.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
        // The test e-mail sent earlier is also an inbox item of its sender.
        await p.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor();
        await shot('phone-header.png', p);
        // The header fits: nothing sticks out to the right.
        const overflow = await p.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        expect(overflow).toBeLessThanOrEqual(0);

        await p.getByRole('button', { name: 'Search', exact: true }).click();
        const input = p.getByRole('dialog', { name: 'Search' }).getByRole('combobox', { name: 'Search records' });
        await input.fill('relay');
        await p.getByRole('option', { name: /Gldani radio relay/ }).waitFor();
        await sleep(150);
        await shot('phone-search.png', p);
        await p.getByRole('option', { name: /Gldani radio relay/ }).click();
        await p.waitForURL((u) => u.pathname === `/offices/${officeId}/sites`);

        await p.getByRole('button', { name: 'Notifications, 1 unread' }).click();
        await p
          .getByRole('dialog', { name: 'Notifications' })
          .getByRole('link', { name: /Replace the relay/ })
          .waitFor();
        await sleep(150);
        await shot('phone-bell.png', p);
        await p.keyboard.press('Escape');

        await p.goto(url('/inbox'));
        await p.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
        await p.getByRole('link', { name: /Replace the relay/ }).waitFor();
        await shot('phone-inbox.png', p);

        await p.goto(url('/admin/integrations'));
        await p
          .getByRole('form', { name: 'Outgoing e-mail (SMTP)' })
          .getByLabel(/^Server/)
          .waitFor();
        await p
          .getByRole('table', { name: 'Webhooks' })
          .getByRole('row', { name: /Ops chat/ })
          .waitFor();
        await shot('phone-integrations.png', p);
        await p.screenshot({ path: `${RESULTS}phone-integrations-full.png`, fullPage: true });
      } finally {
        await phone.close();
      }
    },
    STEP,
  );

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
