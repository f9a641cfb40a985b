import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../test/test-server.ts';
import { CHROMIUM, CHROMIUM_ARGS, waitForChromium } from './chromium.ts';

/**
 * Tasks, attachments, the calendar feed and the checklist runner in a real browser against the real
 * server (demo office TBS): a task with an owner in My tasks and on the board, its status, a comment and
 * a file; a checklist template made in the editor, run on a phone, a failed item turned into a task.
 * Screenshots (desktop and phone) land in test-results/ for a human to look at.
 */

const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));
const STEP = 90_000;
const TASK = 'Replace the broken perimeter light';
const TEMPLATE = 'Weekly guard-post check';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** `YYYY-MM-DD`, some days from today (UTC; far enough from midnight in Tbilisi for the test). */
function dayFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe('tasks and checklists in a browser', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let phone: BrowserContext | undefined;
  let phonePage: Page | undefined;
  const pageErrors: string[] = [];

  const url = (path: string) => `${server?.url ?? ''}${path}`;
  const shot = (p: Page, name: string, fullPage = false) => p.screenshot({ path: `${RESULTS}${name}`, fullPage });

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    await waitForChromium();
    server = await startTestServer({ demo: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB', timezoneId: 'UTC' });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 240_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') {
      const name = task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await page?.screenshot({ path: `${RESULTS}failed-${name}.png`, fullPage: true }).catch(() => {});
      await phonePage?.screenshot({ path: `${RESULTS}failed-${name}-phone.png`, fullPage: true }).catch(() => {});
    }
  });

  afterAll(async () => {
    await phone?.close();
    await browser?.close();
    await server?.close();
  });

  it(
    'signs in and finds the tasks module built',
    async () => {
      await page.goto(url('/login?next=%2Ftasks'));
      await page.getByLabel('E-mail address').fill(server?.adminEmail ?? '');
      await page.getByLabel(/^Password/).fill(server?.adminPassword ?? '');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(url('/tasks'));
      await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Modules' });
      expect(await nav.getByRole('link', { name: /^Tasks/ }).textContent()).not.toMatch(/soon/i);
      await page.getByRole('tab', { name: 'My tasks', selected: true }).waitFor();
      await page.getByRole('tab', { name: 'Office tasks (TBS)' }).waitFor();
    },
    STEP,
  );

  it(
    'creates a task with an owner and a past due date, and shows it overdue in My tasks',
    async () => {
      await page.getByRole('button', { name: 'New task' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'New task' });
      // The shared schema speaks first: a title is needed.
      await dialog.getByRole('button', { name: 'Create task' }).click();
      await dialog.getByText('Fill in this field.').waitFor();

      await dialog.getByLabel(/^Title/).fill(TASK);
      await dialog.getByLabel('Description').fill('The lamp over the east gate is out since Monday.');
      await dialog.getByRole('combobox', { name: 'Owner' }).click();
      await page.getByRole('option', { name: /E2E Admin/ }).click();
      await dialog.getByRole('combobox', { name: 'Priority' }).click();
      await page.getByRole('option', { name: 'High' }).click();
      await dialog.getByLabel('Due date').fill(dayFromToday(-3));
      await shot(page, 'tasks-new-desktop.png');
      await dialog.getByRole('button', { name: 'Create task' }).click();
      await page.getByText(`Task “${TASK}” created`).waitFor();

      const row = page.getByRole('row', { name: new RegExp(TASK) });
      await row.waitFor();
      await row.getByText('Overdue').first().waitFor();
      await row.getByText('High').waitFor();
      await row.getByText('E2E Admin (you)').waitFor();
      await shot(page, 'tasks-list-desktop.png');

      // The office view lists it too, and the overdue view.
      await page.getByRole('tab', { name: 'Office tasks (TBS)' }).click();
      await page.getByRole('row', { name: new RegExp(TASK) }).waitFor();
      await page.getByRole('tab', { name: 'Overdue' }).click();
      await page.getByRole('row', { name: new RegExp(TASK) }).waitFor();
      await page.getByRole('tab', { name: 'My tasks' }).click();
    },
    STEP,
  );

  it(
    'shows the task on the board and moves it to in progress',
    async () => {
      await page.locator('label', { hasText: 'Board' }).click();
      const open = page.getByRole('region', { name: 'Open' });
      await open.getByRole('link', { name: TASK }).waitFor();
      await shot(page, 'tasks-board-desktop.png');
      await open.getByRole('button', { name: `Move “${TASK}”` }).click();
      await page.getByRole('menuitem', { name: 'In progress' }).click();
      await page.getByRole('region', { name: 'In progress' }).getByRole('link', { name: TASK }).waitFor();
      expect(await open.getByRole('link', { name: TASK }).count()).toBe(0);
    },
    STEP,
  );

  it(
    'opens the task: changes its status, comments, attaches a file, shows the history',
    async () => {
      await page.getByRole('link', { name: TASK }).first().click();
      await page.getByRole('heading', { name: TASK, level: 1 }).waitFor();
      await page.getByText('In progress').first().waitFor();

      await page.getByRole('button', { name: 'Change status' }).click();
      await page.getByRole('menuitem', { name: 'Blocked' }).click();
      await page.getByText(`“${TASK}” is now: Blocked`).waitFor();

      await page.getByRole('textbox', { name: 'Add a comment' }).fill('Electrician booked for Thursday.');
      await page.getByRole('button', { name: 'Comment', exact: true }).click();
      await page.getByRole('list', { name: 'Comments' }).getByText('Electrician booked for Thursday.').waitFor();

      const png = await sharp({ create: { width: 96, height: 64, channels: 3, background: '#c0392b' } })
        .png()
        .toBuffer();
      const attachments = page.locator('section[aria-labelledby="task-attachments"]');
      await attachments.locator('input[type="file"]').setInputFiles({
        name: 'east-gate-lamp.png',
        mimeType: 'image/png',
        buffer: png,
      });
      await attachments.getByRole('link', { name: 'east-gate-lamp.png' }).waitFor();
      // The hash is shown short, whole on demand.
      const hash = attachments.getByLabel(/^SHA-256: [0-9a-f]{64}$/);
      await hash.waitFor();
      expect((await hash.textContent())?.length).toBeLessThan(20);

      const history = page.locator('section[aria-labelledby="task-history"]');
      await history.getByText('Status: In progress → Blocked').waitFor();
      await history.getByText('Commented').waitFor();
      await page.getByText('Electrician booked for Thursday.').scrollIntoViewIfNeeded();
      await shot(page, 'task-page-desktop.png', true);
    },
    STEP,
  );

  it(
    'makes a checklist template in the editor',
    async () => {
      await page.goto(url('/inspections?tab=templates'));
      await page.getByRole('heading', { name: 'Inspections', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'New template' }).click();
      await page.getByRole('heading', { name: 'New template', level: 1 }).waitFor();
      await page.getByLabel(/^Name/).first().fill(TEMPLATE);

      // Item 1: yes / no / N/A, required.
      const item1 = page.getByRole('group', { name: 'Item 1' });
      await item1.getByLabel('Section').fill('Perimeter');
      await item1.getByLabel(/^Question or check/).fill('Perimeter lights all working');
      await item1.getByLabel('Guidance').fill('Walk the fence line after dark.');
      await item1.getByRole('switch', { name: 'Required' }).check({ force: true });

      // Item 2: a number with a unit and an expected range.
      await page.getByRole('button', { name: 'Add an item' }).click();
      const item2 = page.getByRole('group', { name: 'Item 2' });
      await item2.getByLabel('Section').fill('Power');
      await item2.getByLabel(/^Question or check/).fill('Generator fuel level');
      await item2.getByRole('combobox', { name: 'Answer type' }).click();
      await page.getByRole('option', { name: 'Number' }).click();
      await item2.getByLabel('Unit').fill('%');
      await item2.getByLabel('Lowest expected').fill('50');
      await item2.getByLabel('Highest expected').fill('100');
      await item2.getByRole('switch', { name: 'Required' }).check({ force: true });

      // Item 3: a choice, one option failing.
      await page.getByRole('button', { name: 'Add an item' }).click();
      const item3 = page.getByRole('group', { name: 'Item 3' });
      await item3.getByLabel(/^Question or check/).fill('Guard post condition');
      await item3.getByRole('combobox', { name: 'Answer type' }).click();
      await page.getByRole('option', { name: 'Choice' }).click();
      await item3.getByLabel('Option 1', { exact: true }).fill('Good');
      await item3.getByLabel('Option 2', { exact: true }).fill('Poor');

      await page.getByRole('button', { name: 'Save template' }).click();
      await page.getByRole('heading', { name: TEMPLATE, level: 1 }).waitFor();
      await page.getByText('Perimeter lights all working').waitFor();
      await page.getByText('Expected: 50 to 100 %').waitFor();
      await shot(page, 'checklist-template-desktop.png', true);
    },
    STEP,
  );

  it(
    'runs the checklist on a phone, fails items, completes it and turns a failed item into a task',
    async () => {
      phone = await browser?.newContext({
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
      phonePage = p;
      p.on('pageerror', (error) => pageErrors.push(error.message));

      await p.goto(url('/inspections'));
      await p.getByRole('heading', { name: 'Inspections', level: 1 }).waitFor();
      await p.getByRole('button', { name: 'Start a run' }).first().click();
      const dialog = p.getByRole('dialog', { name: 'Start a checklist run' });
      await dialog.getByRole('combobox', { name: 'Checklist' }).click();
      await p.getByRole('option', { name: TEMPLATE }).click();
      await dialog.getByLabel('Where').fill('East gate');
      await dialog.getByRole('button', { name: 'Start', exact: true }).click();
      await p.waitForURL(/\/inspections\/runs\/[0-9a-f-]{36}$/);
      await p.getByText('0 of 3 answered').waitFor();

      // Section 1: a big "No" fails the item; it is saved at once.
      const lights = p.getByRole('region', { name: /Perimeter lights all working/ });
      await lights.getByText('Walk the fence line after dark.').waitFor();
      await lights.getByRole('button', { name: 'No', exact: true }).click();
      await lights.getByText('Saved').waitFor();
      await lights.getByText('Fails').waitFor();
      expect(await lights.getByRole('button', { name: 'No', exact: true }).getAttribute('aria-pressed')).toBe('true');
      await p.getByText('1 of 3 answered').waitFor();
      await shot(p, 'checklist-runner-phone.png');

      // Completing too early names the missing required item.
      await p.getByRole('button', { name: 'Sections' }).click();
      await p.getByRole('menuitem', { name: 'Review and complete' }).click();
      await p.getByText('1 required item has no answer').waitFor();
      await p.getByRole('button', { name: 'Generator fuel level' }).click();

      // Section 2: a number under its expected range.
      const fuel = p.getByRole('region', { name: /Generator fuel level/ });
      await fuel.getByText('Expected: 50 to 100 %').waitFor();
      await fuel.getByLabel('Value').fill('30');
      await fuel.getByLabel('Value').press('Enter');
      await fuel.getByText('Saved').waitFor();
      await fuel.getByText('Fails').waitFor();
      await shot(p, 'checklist-runner-number-phone.png');

      // Same section (the editor carried it over): a choice.
      const post = p.getByRole('region', { name: /Guard post condition/ });
      await post.getByRole('button', { name: 'Good', exact: true }).click();
      await post.getByText('Saved').waitFor();
      await p.getByRole('button', { name: 'Review', exact: true }).click();
      await p.getByText('3 of 3 items answered. Every required item has an answer.').waitFor();
      await shot(p, 'checklist-review-phone.png');
      await p.getByRole('button', { name: 'Complete the checklist' }).click();

      // The result: the score and the failed items, each one click from a task.
      await p.getByText('2 failed items').waitFor();
      await p.getByLabel('Score: 33%').waitFor();
      await shot(p, 'checklist-result-phone.png', true);
      await p.getByRole('button', { name: 'Create a task for “Perimeter lights all working”' }).click();
      const created = p.getByRole('link', { name: 'Task created' });
      await created.waitFor();
      await shot(p, 'checklist-task-created-phone.png', true);

      // The task belongs to the run, and the run links back.
      await created.click();
      await p.getByRole('heading', { name: /Perimeter lights all working/, level: 1 }).waitFor();
      await p.getByRole('link', { name: 'a checklist run' }).waitFor();
      await shot(p, 'task-page-phone.png', true);

      // The task list fits the phone too.
      await p.goto(url('/tasks?layout=board'));
      await p
        .getByRole('region', { name: 'Open' })
        .getByRole('link', { name: /Perimeter lights all working/ })
        .waitFor();
      await shot(p, 'tasks-board-phone.png', true);
    },
    STEP * 2,
  );

  it(
    'changes the status of several tasks at once',
    async () => {
      await page.goto(url('/tasks?view=office'));
      await page.getByRole('row', { name: /Perimeter lights all working/ }).waitFor();
      // The demo office has work of its own: pick the two tasks this test made.
      await page.getByRole('checkbox', { name: /^Select “Perimeter lights all working/ }).check();
      await page.getByRole('checkbox', { name: `Select “${TASK}”` }).check();
      const bar = page.getByRole('toolbar', { name: 'Actions on the selected tasks' });
      await bar.getByText('2 tasks selected').waitFor();
      await bar.getByRole('button', { name: 'Set status' }).click();
      await page.getByRole('menuitem', { name: 'In progress' }).click();
      await page.getByText('2 tasks updated').waitFor();
      await bar.waitFor({ state: 'detached' });
      for (const name of [/Perimeter lights all working/, TASK]) {
        await expect
          .poll(() => page.getByRole('row').filter({ hasText: name }).filter({ hasText: 'In progress' }).count())
          .toBe(1);
      }
      await shot(page, 'tasks-office-list-desktop.png');
    },
    STEP,
  );

  it(
    'creates the calendar feed link, shown once, and revokes it',
    async () => {
      await page.goto(url('/account'));
      const section = page.locator('section[aria-labelledby="account-calendar"]');
      await section.getByText('You have no calendar link.').waitFor();
      await section.getByRole('button', { name: 'Create calendar link' }).click();
      const dialog = page.getByRole('dialog', { name: 'Your calendar link' });
      await dialog.getByText(/shown only once/).waitFor();
      const link = await dialog.getByLabel('Calendar link (iCalendar)').inputValue();
      expect(link).toMatch(/^https?:\/\/.+\/api\/v1\/calendar\/feed\/.+\.ics$/);
      // BASE_URL names the server in the link; the test server listens on a random port.
      const feed = url(new URL(link).pathname);
      await dialog.getByRole('button', { name: 'Copy link' }).waitFor();
      await sleep(400); // let the dialog finish fading in before the picture
      await shot(page, 'calendar-feed-desktop.png');
      // The link works without a session: it is the credential.
      const ics = await fetch(feed);
      expect(ics.status).toBe(200);
      const body = await ics.text();
      expect(body).toContain('BEGIN:VCALENDAR');
      expect(body).toContain(TASK);
      await dialog.getByRole('button', { name: 'Done' }).click();

      await section.getByText('Active').waitFor();
      await section.getByRole('button', { name: 'Revoke' }).click();
      await page
        .getByRole('dialog', { name: 'Revoke the calendar link?' })
        .getByRole('button', { name: 'Revoke' })
        .click();
      await section.getByText('You have no calendar link.').waitFor();
      expect((await fetch(feed)).status).toBe(404);
    },
    STEP,
  );

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
