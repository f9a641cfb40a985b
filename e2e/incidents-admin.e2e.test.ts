import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../src/server/lib/auth.ts';
import { startTestServer } from '../test/test-server.ts';
import { axeProblems } from './axe.ts';
import { CHROMIUM, CHROMIUM_ARGS, waitForChromium } from './chromium.ts';

/**
 * The incident screens around the record, in a real browser at desktop width against the real server: the
 * officer marks an incident sensitive and names a colleague on it (the colleague then sees it, another
 * officer of the office does not — not even through the API), records an involved person and edits it (a
 * stale edit says "changed by someone else"), and adds an office category to the catalogue, which the
 * incident form then offers. axe-core finds no serious or critical problem; screenshots in test-results/.
 */

const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));
const STEP = 90_000;
const PASSWORD = 'incident admin e2e password long';
const OFFICER = 'e2e-admin-officer@example.org';
const OTHER_OFFICER = 'e2e-admin-officer2@example.org';
const COLLEAGUE = 'e2e-admin-head@example.org';
const TITLE = 'Harassment of a driver at the checkpoint';

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe('incident access, involved persons and categories in a browser', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  let desk: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  let incidentId = '';
  let officeId = '';

  const url = (path: string) => `${server?.url ?? ''}${path}`;
  const shot = (p: Page, name: string) => p.screenshot({ path: `${RESULTS}${name}`, fullPage: true });
  /** The toasts go away by themselves; axe looks at the page itself. */
  const toastsGone = async (p: Page) => {
    // A toast under the mouse stays (hover pauses it): move the mouse away first.
    await p.mouse.move(1, 1);
    await expect.poll(() => p.locator('.mantine-Notification-root').count(), { timeout: 15_000 }).toBe(0);
  };

  async function signIn(p: Page, email: string, next: string) {
    await p.goto(url(`/login?next=${encodeURIComponent(next)}`));
    await p.getByLabel('E-mail address').fill(email);
    await p.getByLabel(/^Password/).fill(PASSWORD);
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.waitForURL(url(next));
  }

  async function newDesk(): Promise<{ context: BrowserContext; page: Page }> {
    const context = (await browser?.newContext({
      viewport: { width: 1280, height: 860 },
      locale: 'en-GB',
      timezoneId: 'UTC',
    })) as BrowserContext;
    context.setDefaultTimeout(15_000);
    const p = await context.newPage();
    p.on('pageerror', (error) => pageErrors.push(error.message));
    return { context, page: p };
  }

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    await waitForChromium();
    server = await startTestServer();
    const office = await server.services.offices.create(systemCtx, {
      code: 'TBS',
      name: 'Tbilisi',
      countries: ['GE'],
      timezone: 'Asia/Tbilisi',
    });
    officeId = office.id;
    const ids = new Map<string, string>();
    for (const [email, displayName, role] of [
      [OFFICER, 'Giorgi Officer', 'security_officer'],
      [OTHER_OFFICER, 'Tamar Deputy', 'security_officer'],
      [COLLEAGUE, 'Levan Head', 'head_of_office'],
    ] as const) {
      const { user } = await server.services.users.create(systemCtx, {
        email,
        displayName,
        role,
        officeCodes: ['TBS'],
        password: PASSWORD,
      });
      ids.set(email, user.id);
    }
    const incident = await server.services.incidents.create(systemCtx, officeId, {
      title: TITLE,
      domain: 'personnel_safety',
      category: 'safety:threat_harassment',
      severity: 2,
      narrative: 'A driver was insulted and threatened at the checkpoint on the airport road.',
      ownerUserId: ids.get(OFFICER),
    });
    incidentId = incident.id;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    ({ context: desk, page } = await newDesk());
  }, 240_000);

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') {
      const name = task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await page?.screenshot({ path: `${RESULTS}failed-incidents-admin-${name}.png`, fullPage: true }).catch(() => {});
    }
  });

  afterAll(async () => {
    await desk?.close();
    await browser?.close();
    await server?.close();
  });

  it(
    'the officer marks the incident sensitive and names a colleague; nobody else sees it',
    async () => {
      await signIn(page, OFFICER, `/incidents/${incidentId}`);
      await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
      const access = page.getByRole('region', { name: 'Who may see it' });
      await access.getByText('This incident is not sensitive').waitFor();

      await page.getByRole('button', { name: 'Edit' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit incident' });
      await dialog.getByLabel(/^Sensitive/).check();
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('img', { name: 'Sensitive incident' }).first().waitFor();
      await access.getByText(/Not even administrators or HQ security see it unless they are named here/).waitFor();
      await access.getByText('Nobody named yet.').waitFor();
      await toastsGone(page);

      await access.getByRole('combobox', { name: 'Name a colleague' }).click();
      await page.getByRole('option', { name: 'Levan Head' }).click();
      await access.getByRole('button', { name: 'Name', exact: true }).click();
      const named = access.getByRole('list', { name: 'Named people' });
      await named.getByText('Levan Head').waitFor();
      await toastsGone(page);
      await shot(page, 'incidents-admin-access-desktop.png');
      expect(await axeProblems(page)).toEqual([]);

      // The colleague named sees it; another officer of the same office gets "not found", by UI and API.
      const colleague = await newDesk();
      await signIn(colleague.page, COLLEAGUE, `/incidents/${incidentId}`);
      await colleague.page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
      await colleague.context.close();

      const other = await newDesk();
      await signIn(other.page, OTHER_OFFICER, `/incidents/${incidentId}`);
      await other.page.getByText('Not found', { exact: true }).waitFor();
      expect((await other.page.request.get(url(`/api/v1/incidents/${incidentId}`))).status()).toBe(404);
      expect((await other.page.request.get(url(`/api/v1/incidents/${incidentId}/access`))).status()).toBe(404);
      await other.context.close();

      // Removing a name works the same way (and is audited server-side); name them again for the record.
      await toastsGone(page);
      await access.getByRole('button', { name: 'Remove Levan Head' }).click();
      await access.getByText('Nobody named yet.').waitFor();
      await toastsGone(page);
      await access.getByRole('combobox', { name: 'Name a colleague' }).click();
      await page.getByRole('option', { name: 'Levan Head' }).click();
      await access.getByRole('button', { name: 'Name', exact: true }).click();
      await named.getByText('Levan Head').waitFor();
    },
    STEP,
  );

  it(
    'the officer records an involved person, edits it, and a stale edit is refused as a conflict',
    async () => {
      await page.getByRole('tab', { name: 'Persons' }).click();
      await page.getByText(/Restricted: only editors who can see this incident read this list/).waitFor();
      await page.getByRole('textbox', { name: /^Name/ }).fill('Davit Driver');
      await page.getByRole('textbox', { name: /^Details/ }).fill('Office driver, shaken but unhurt; +995 555 000 111');
      await page.getByRole('button', { name: 'Add person' }).click();
      const table = page.getByRole('table', { name: 'Involved persons' });
      await table.getByRole('cell', { name: 'Davit Driver', exact: true }).waitFor();
      await table.getByText('Victim').waitFor();

      // Someone else changes the person meanwhile (another session, through the API).
      const persons = await server?.services.incidents.listPersons(systemCtx, incidentId);
      const person = persons?.items[0];
      expect(person?.name).toBe('Davit Driver');
      await server?.services.incidents.updatePerson(systemCtx, person?.id ?? '', {
        details: 'Changed elsewhere',
        version: person?.version ?? 1,
      });

      await toastsGone(page);
      await table.getByRole('button', { name: 'Edit Davit Driver' }).click();
      let dialog = page.getByRole('dialog', { name: 'Edit an involved person' });
      await dialog.getByRole('textbox', { name: /^Name/ }).fill('Davit K., driver');
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await dialog.getByText('Changed by someone else').waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      await table.getByText('Changed elsewhere').waitFor();

      // Read again: the edit goes through with the new version.
      await toastsGone(page);
      await table.getByRole('button', { name: 'Edit Davit Driver' }).click();
      dialog = page.getByRole('dialog', { name: 'Edit an involved person' });
      await dialog.getByRole('textbox', { name: /^Name/ }).fill('Davit K., driver');
      await dialog.getByRole('combobox', { name: /^Role/ }).click();
      await page.getByRole('option', { name: 'Witness' }).click();
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await dialog.waitFor({ state: 'detached' });
      await table.getByRole('cell', { name: 'Davit K., driver', exact: true }).waitFor();
      await table.getByText('Witness').waitFor();
      await toastsGone(page);
      await shot(page, 'incidents-admin-persons-desktop.png');
      expect(await axeProblems(page)).toEqual([]);

      // The persons never leave the restricted sub-record: the incident itself does not carry them.
      const body = await page.evaluate(
        async (id) => (await fetch(`/api/v1/incidents/${id}`, { credentials: 'same-origin' })).text(),
        incidentId,
      );
      expect(body).not.toContain('Davit');
    },
    STEP,
  );

  it(
    'the review panel tells "review requested" from "signed off", with the reviewer’s note',
    async () => {
      const incidents = server?.services.incidents;
      let current = await incidents?.get(systemCtx, incidentId);
      for (const to of ['triaged', 'investigating', 'contained', 'resolved'] as const)
        current = await incidents?.transition(systemCtx, incidentId, { to, version: current?.version ?? 0 });
      await page.goto(url(`/incidents/${incidentId}`));
      const review = page.getByRole('region', { name: 'Reviewer sign-off' });
      await review.getByText('No review requested yet').waitFor();
      await review.getByRole('combobox', { name: 'Ask for a review' }).click();
      await page.getByRole('option', { name: 'Levan Head' }).click();
      await review.getByRole('button', { name: 'Ask for review' }).click();
      await review.getByText('Review requested', { exact: true }).waitFor();
      await review.getByText('Asked of Levan Head').waitFor();

      const head = await newDesk();
      await signIn(head.page, COLLEAGUE, `/incidents/${incidentId}`);
      const theirs = head.page.getByRole('region', { name: 'Reviewer sign-off' });
      await theirs.getByLabel('Note').fill('Add the driver’s statement to the timeline first.');
      await theirs.getByRole('button', { name: 'Send back' }).click();
      // Sent back: not signed off, still awaiting a review, and the note is there.
      await theirs.getByText('Review requested', { exact: true }).waitFor();
      await theirs.getByText('Add the driver’s statement to the timeline first.').waitFor();
      expect(await theirs.getByText('Signed off').count()).toBe(0);
      await theirs.getByLabel('Note').fill('Statement added; handling is sound.');
      await theirs.getByRole('button', { name: 'Approve closure' }).click();
      await theirs.getByText('Signed off').waitFor();
      await theirs.getByText(/^By Levan Head/).waitFor();
      await head.context.close();

      await page.reload();
      await review.getByText('Signed off').waitFor();
      await review.getByText('Statement added; handling is sound.').waitFor();
      await toastsGone(page);
      await shot(page, 'incidents-admin-review-desktop.png');
      expect(await axeProblems(page)).toEqual([]);
    },
    STEP,
  );

  it(
    'the officer adds an office category, which the incident form then offers',
    async () => {
      await page.goto(url('/incidents'));
      await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Categories' }).click();
      await page.getByRole('heading', { level: 1, name: 'Incident categories — TBS' }).waitFor();
      await page.getByRole('cell', { name: 'cyber:phishing', exact: true }).waitFor();
      await toastsGone(page);
      await shot(page, 'incidents-admin-categories-desktop.png');
      expect(await axeProblems(page)).toEqual([]);

      await page.getByRole('button', { name: 'Add an office category' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add an office category' });
      await dialog.getByRole('textbox', { name: /^Code/ }).fill('physical drone');
      await dialog.getByText(/Use family:type in lower case/).waitFor();
      await dialog.getByRole('textbox', { name: /^Code/ }).fill('physical:drone_overflight');
      await dialog.getByRole('textbox', { name: /^Name \(English\)/ }).fill('Drone over the premises');
      await dialog.getByRole('textbox', { name: /^Name \(French\)/ }).fill('Drone au-dessus des locaux');
      await dialog.getByRole('combobox', { name: /^Default severity/ }).click();
      await page.getByRole('option', { name: /^2 · / }).click();
      await dialog.getByLabel(/^Always immediate/).check();
      await shot(page, 'incidents-admin-category-new-desktop.png');
      expect(await axeProblems(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Add category' }).click();
      await dialog.waitFor({ state: 'detached' });
      const row = page.getByRole('row', { name: /physical:drone_overflight/ });
      await row.getByText('Always immediate').waitFor();
      await row.getByRole('cell', { name: 'TBS', exact: true }).waitFor();

      // The same code twice: a clear conflict, not a crash.
      await page.getByRole('button', { name: 'Add an office category' }).click();
      const again = page.getByRole('dialog', { name: 'Add an office category' });
      await again.getByRole('textbox', { name: /^Code/ }).fill('physical:drone_overflight');
      await again.getByRole('textbox', { name: /^Name \(English\)/ }).fill('Drone');
      await again.getByRole('textbox', { name: /^Name \(French\)/ }).fill('Drone');
      await again.getByRole('button', { name: 'Add category' }).click();
      await again
        .getByRole('alert')
        .getByText(/exists already/)
        .waitFor();
      await again.getByRole('button', { name: 'Cancel' }).click();

      // Edit: deactivate it; a global category cannot be edited by an office officer.
      await row.getByRole('button', { name: 'Edit physical:drone_overflight' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit category physical:drone_overflight' });
      await edit.getByRole('textbox', { name: /^Name \(French\)/ }).fill('Drone survolant les locaux');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await edit.waitFor({ state: 'detached' });
      await row.getByText('Drone survolant les locaux').waitFor();
      expect(
        await page
          .getByRole('row', { name: /cyber:phishing/ })
          .getByRole('button', { name: /^Edit/ })
          .count(),
      ).toBe(0);

      // The incident form offers the new category.
      await page.goto(url(`/incidents/${incidentId}`));
      await page.getByRole('button', { name: 'Edit' }).click();
      const form = page.getByRole('dialog', { name: 'Edit incident' });
      await form.getByRole('combobox', { name: /^Category/ }).fill('Drone');
      await page.getByRole('option', { name: /Drone over the premises/ }).waitFor();
      await form.getByRole('button', { name: 'Cancel' }).click();

      const listed = await server?.services.incidents.categories.list(systemCtx, officeId);
      const mine = listed?.find((c) => c.code === 'physical:drone_overflight');
      expect(mine).toMatchObject({
        officeId,
        labelFr: 'Drone survolant les locaux',
        defaultSeverity: 2,
        alwaysImmediate: true,
        sensitive: false,
        active: true,
      });
      expect(pageErrors).toEqual([]);
    },
    STEP,
  );
});
