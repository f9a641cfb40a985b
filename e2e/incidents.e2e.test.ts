import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../src/server/lib/auth.ts';
import { fixedClock } from '../src/server/lib/clock.ts';
import { type SmtpSink, startSmtpSink } from '../test/notification-sinks.ts';
import { startTestServer } from '../test/test-server.ts';
import { axeProblems } from './axe.ts';
import { CHROMIUM, CHROMIUM_ARGS, waitForChromium } from './chromium.ts';

/**
 * The incident web UI in a real browser against the real server (demo office TBS), issue #5's end-to-end
 * case: a staff member files a quick report from a phone-sized screen, the first send is lost on the way
 * back (the server made the incident, the phone never heard) and the retry with the same client key makes
 * no second incident; the officer finds it in the list, opens it and triages it to severity 4; HQ security
 * gets the escalation in the app and by e-mail on a real SMTP server on loopback; left unacknowledged past
 * its deadline (a controllable clock, no sleeping) it is re-notified and escalated to the next level; HQ
 * acknowledges in the browser; the officer records evidence, the incident goes through to closure with a
 * reviewer's sign-off, and the PDF report, read back with pdftotext, has the title and the timeline.
 * Screenshots land in test-results/; axe-core finds no serious or critical problem on the screens visited.
 */

const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));
const STEP = 90_000;
const WHAT = 'Man filming the office entrance from a parked car';
const PASSWORD = 'incident e2e password long enough';
const STAFF = 'e2e-staff@example.org';
const OFFICER = 'e2e-officer@example.org';
const HQ = 'e2e-hq@example.org';
const HEAD = 'e2e-head@example.org';
const MIN = 60_000;

/** The quick-report drafts kept in the page's localStorage. */
const DRAFT_KEYS = "Object.keys(localStorage).filter((k) => k.startsWith('outpost.incidents.quickReport.'))";

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe('incidents in a browser', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  let phone: BrowserContext;
  let phonePage: Page;
  let desk: BrowserContext;
  let page: Page;
  let hqContext: BrowserContext;
  let hqPage: Page;
  let smtp: SmtpSink;
  const clock = fixedClock(new Date());
  const pageErrors: string[] = [];
  let incidentId = '';
  const userIds = new Map<string, string>();

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
    server = await startTestServer({ demo: true, clock });
    smtp = await startSmtpSink();
    for (const [email, displayName, role] of [
      [STAFF, 'Nino Staff', 'staff'],
      [OFFICER, 'Giorgi Officer', 'security_officer'],
      [HQ, 'Hanna HQ', 'hq_security'],
      [HEAD, 'Levan Head', 'head_of_office'],
    ] as const) {
      const { user } = await server.services.users.create(systemCtx, {
        email,
        displayName,
        role,
        officeCodes: role === 'hq_security' ? [] : ['TBS'],
        password: PASSWORD,
      });
      userIds.set(email, user.id);
    }
    await server.services.notifications.putSmtp(systemCtx, {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      fromAddress: 'outpost@example.org',
      version: 0,
    });
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
    hqContext = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
    hqContext.setDefaultTimeout(15_000);
    hqPage = await hqContext.newPage();
    hqPage.on('pageerror', (error) => pageErrors.push(error.message));
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
    await smtp?.close();
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
      incidentId = new URL(page.url()).pathname.split('/')[2] ?? '';
      expect(incidentId).toMatch(/^[0-9a-f-]{36}$/);
      // The toasts (the app shell's) go away by themselves; axe looks at the page itself.
      await page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached', timeout: 10_000 });
      await shot(page, 'incidents-incident-desktop.png');
      expect(await axeProblems(page)).toEqual([]);
    },
    STEP,
  );

  it(
    'HQ security gets the escalation in the app and by e-mail on the loopback SMTP server',
    async () => {
      const mailsBefore = smtp.mails.length;
      await server?.services.notifications.deliverOutbox(clock.now());
      const mail = (await smtp.waitFor(mailsBefore + 1)).slice(mailsBefore).find((m) => m.to.includes(HQ));
      expect(mail?.subject).toMatch(/^Escalation, severity 4: TBS-\d{4}-\d{3}/);
      expect(mail?.text).toContain(WHAT);

      await signIn(hqPage, HQ, '/inbox');
      await hqPage
        .getByText(/Escalation, severity 4/)
        .first()
        .waitFor();
      await shot(hqPage, 'incidents-hq-inbox-desktop.png');
    },
    STEP,
  );

  it(
    'left unacknowledged past its deadline, it is re-notified and escalated to the next level',
    async () => {
      clock.advance(61 * MIN);
      const run = await server?.services.escalation.runEscalations(clock.now());
      expect(run).toEqual({ overdue: 1, escalated: 1 });
      const steps = await page.request.get(url(`/api/v1/incidents/${incidentId}/escalations`));
      const timers = ((await steps.json()).items as { kind: string; level: number; status: string }[]).filter(
        (s) => s.kind === 'timer',
      );
      expect(timers.map((s) => [s.level, s.status])).toEqual([
        [1, 'overdue'],
        [2, 'open'],
      ]);
      const mailsBefore = smtp.mails.length;
      await server?.services.notifications.deliverOutbox(clock.now());
      const mails = (await smtp.waitFor(mailsBefore + 2)).slice(mailsBefore);
      expect(mails.some((m) => m.to.includes(HQ) && /Not acknowledged in time/.test(m.subject))).toBe(true);
      expect(mails.some((m) => m.to.includes(HEAD) && /Not acknowledged in time/.test(m.subject))).toBe(true);

      // HQ's queue lists it, overdue.
      await hqPage.goto(url('/incidents/escalations'));
      const queued = hqPage.getByRole('row', { name: /TBS-\d{4}-\d{3}/ }).first();
      await queued.getByText('Overdue').waitFor();
      await shot(hqPage, 'incidents-escalation-queue-desktop.png');
      expect(await axeProblems(hqPage)).toEqual([]);

      // HQ acknowledges on the incident page: every waiting step stops.
      await hqPage.goto(url(`/incidents/${incidentId}`));
      await hqPage.getByRole('heading', { name: 'Escalation' }).waitFor();
      await hqPage.getByText('Overdue').first().waitFor();
      await shot(hqPage, 'incidents-escalation-overdue-desktop.png');
      await hqPage.getByRole('button', { name: 'Acknowledge' }).first().click();
      await hqPage
        .getByText(/Acknowledged by Hanna HQ/)
        .first()
        .waitFor();
      expect(await hqPage.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
      const incident = await (await page.request.get(url(`/api/v1/incidents/${incidentId}`))).json();
      expect(incident.hqAcknowledgedAt).toBe(clock.now().toISOString());
    },
    STEP,
  );

  it(
    'the officer records evidence and a timeline, closes with a reviewer sign-off, and the PDF report has them',
    async () => {
      const api = async (method: 'post' | 'patch', path: string, data: object, p: Page = page) => {
        const res = await p.request[method](url(path), { data, headers: { origin: server?.url ?? '' } });
        expect(res.status(), `${method} ${path}: ${await res.text()}`).toBeLessThan(300);
        return res.json();
      };
      const version = async () =>
        (await (await page.request.get(url(`/api/v1/incidents/${incidentId}`))).json()).version;

      await page.goto(url(`/incidents/${incidentId}`));
      await page.getByRole('tab', { name: 'Evidence' }).click();
      await page.getByLabel(/^Label/).fill('CCTV export, gate camera 2');
      await page.getByLabel(/^How it was acquired/).fill('Exported from the NVR to a sealed USB stick');
      await page.getByLabel(/^Where it is kept/).fill('Safe, security office');
      await page.getByLabel(/^SHA-256/).fill('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
      await page.getByRole('button', { name: 'Record evidence' }).last().click();
      await page.getByText('CCTV export, gate camera 2').last().waitFor();
      await shot(page, 'incidents-evidence-desktop.png');

      await api('post', `/api/v1/incidents/${incidentId}/timeline`, {
        occurredAt: new Date(clock.now().getTime() - 70 * MIN).toISOString(),
        description: 'Grey Opel with Armenian plates parked opposite the gate, driver filming',
        source: 'witness',
      });
      for (const to of ['investigating', 'contained', 'resolved'])
        await api('post', `/api/v1/incidents/${incidentId}/transition`, { to, version: await version() });
      const headId = userIds.get(HEAD);
      await api('patch', `/api/v1/incidents/${incidentId}`, {
        reviewerUserId: headId,
        closingSummary: 'Surveillance by an unknown party; police informed; no further sighting in two weeks.',
        lessonsLearned: 'Add a camera covering the parking opposite the gate; brief guards on reporting vehicles.',
        version: await version(),
      });
      // The reviewer signs off in their own session (four eyes), then the officer closes.
      const reviewer = await browser?.newContext({ locale: 'en-GB', timezoneId: 'UTC' });
      const reviewerPage = (await reviewer?.newPage()) as Page;
      await signIn(reviewerPage, HEAD, `/incidents/${incidentId}`);
      await api(
        'post',
        `/api/v1/incidents/${incidentId}/review`,
        { decision: 'approve', note: 'Checked the evidence log and the timeline.', version: await version() },
        reviewerPage,
      );
      await reviewer?.close();
      await api('post', `/api/v1/incidents/${incidentId}/transition`, {
        to: 'closed',
        version: await version(),
        closingSummary: 'Surveillance by an unknown party; police informed; no further sighting in two weeks.',
        lessonsLearned: 'Add a camera covering the parking opposite the gate; brief guards on reporting vehicles.',
      });
      await page.reload();
      await page.getByText('Closed').first().waitFor();
      await shot(page, 'incidents-closed-desktop.png');

      // The office adjusts its report template: the footer carries the classification line.
      await page.goto(url('/incidents/report-template'));
      await page.getByLabel(/^Footer \/ classification line/).fill('TBS RESTRICTED - DO NOT FORWARD');
      await page.getByRole('button', { name: 'Save template' }).click();
      await page.getByText('Report template saved').waitFor();
      await shot(page, 'incidents-report-template-desktop.png');
      expect(await axeProblems(page)).toEqual([]);

      const pdf = await page.request.get(url(`/api/v1/incidents/${incidentId}/report.pdf?lang=en`));
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      const file = `${RESULTS}incident-report.pdf`;
      writeFileSync(file, await pdf.body());
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain(WHAT);
      expect(text).toContain('Grey Opel with Armenian plates parked opposite the gate');
      expect(text).toContain('CCTV export, gate camera 2');
      expect(text).toContain('Add a camera covering the parking opposite the gate');
      expect(text).toContain('TBS RESTRICTED - DO NOT FORWARD');
    },
    STEP,
  );

  it(
    "staff cannot open another person's report or a sensitive incident, in the app or through the API",
    async () => {
      const officeId = (await (await page.request.get(url(`/api/v1/incidents/${incidentId}`))).json()).officeId;
      const create = async (data: object) => {
        const res = await page.request.post(url(`/api/v1/offices/${officeId}/incidents`), {
          data: { category: 'physical:theft', ...data },
          headers: { origin: server?.url ?? '' },
        });
        expect(res.status(), await res.text()).toBe(201);
        return (await res.json()) as { id: string };
      };
      const colleagues = await create({
        title: 'Phone stolen from a desk',
        reportChannel: 'phone',
        reporterName: 'Tamar',
      });
      const sensitive = await create({ title: 'Complaint about a driver’s conduct', sensitive: true });
      for (const other of [colleagues, sensitive]) {
        expect((await phonePage.request.get(url(`/api/v1/incidents/${other.id}`))).status()).toBe(404);
        await phonePage.goto(url(`/incidents/${other.id}`));
        await phonePage.getByText('Not found', { exact: true }).waitFor();
        // A retry would change nothing: none is offered.
        expect(await phonePage.getByRole('button', { name: 'Try again' }).count()).toBe(0);
        expect(await phonePage.getByText(/Phone stolen|driver’s conduct/).count()).toBe(0);
      }
      const mine = await (await phonePage.request.get(url('/api/v1/incidents?mine=reported&limit=50'))).json();
      expect(mine.items.map((i: { id: string }) => i.id)).toEqual([incidentId]);
      // The officer, not named on the sensitive one, sees it only because they created it (named automatically);
      // HQ security does not.
      expect((await hqPage.request.get(url(`/api/v1/incidents/${sensitive.id}`))).status()).toBe(404);
      await shot(phonePage, 'incidents-not-found-phone.png');
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
