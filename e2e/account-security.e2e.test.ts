import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import Provider from 'oidc-provider';
import { Secret, TOTP } from 'otpauth';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../test/test-server.ts';
import { axeProblems } from './axe.ts';
import { CHROMIUM, CHROMIUM_ARGS, waitForChromium } from './chromium.ts';

/**
 * The account and security screens in a real browser against the real server: a passkey added with
 * Chromium's virtual authenticator and used to sign in (alone, and as the second step), an API token
 * created in the UI and used from outside, the audit trail and its chain check, the security policy,
 * single sign-on against a real OpenID Connect provider on loopback, and axe-core on the main pages.
 * Screenshots land in test-results/ for a human to look at.
 */

const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));
const STEP = 60_000;

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** An OpenID Connect provider's address on loopback, taken before Outpost starts (Outpost needs it). */
async function listenForProvider() {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A real provider (oidc-provider) with its development login form, sending users back to Outpost. */
function serveProvider(server: http.Server, issuer: string, outpost: string): void {
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'outpost',
        client_secret: 'a-client-secret-for-e2e',
        redirect_uris: [`${outpost}/api/v1/auth/oidc/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    cookies: { keys: ['e2e-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'outpost_role'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, id) =>
      id === 'hq.analyst'
        ? {
            accountId: id,
            claims: () => ({
              sub: id,
              email: 'hq.analyst@hq.example',
              email_verified: true,
              name: 'HQ Analyst',
              outpost_role: 'hq_security',
            }),
          }
        : undefined,
  });
  provider.on('server_error', () => {});
  server.on('request', provider.callback());
}

describe('account, passkeys, tokens and the audit trail in a browser', () => {
  let server: Server | undefined;
  let provider: http.Server | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let token = '';
  const pageErrors: string[] = [];

  const url = (path: string) => `${server?.url ?? ''}${path}`;
  const shot = (name: string, p: Page = page) => p.screenshot({ path: `${RESULTS}${name}`, fullPage: true });

  async function signInWithPassword(p: Page) {
    await p.goto(url('/login'));
    await p.getByLabel('E-mail address').fill(server?.adminEmail ?? '');
    await p.getByLabel(/^Password/).fill(server?.adminPassword ?? '');
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  async function signOut(p: Page) {
    await p.getByRole('button', { name: /^Account menu of/ }).click();
    await p.getByRole('menuitem', { name: 'Sign out' }).click();
    await p.getByRole('heading', { name: 'Sign in to Outpost' }).waitFor();
  }

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    await waitForChromium();
    const idp = await listenForProvider();
    provider = idp.server;
    server = await startTestServer({
      localhost: true,
      env: {
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: 'outpost',
        OIDC_CLIENT_SECRET: 'a-client-secret-for-e2e',
        OIDC_LABEL: 'HQ sign-on',
      },
    });
    serveProvider(idp.server, idp.issuer, server.url);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB', timezoneId: 'UTC' });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // A platform authenticator that holds discoverable credentials and verifies the user (as a phone would).
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    });
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
    await new Promise((r) => provider?.close(r));
  });

  it(
    'offers a passkey and single sign-on on the sign-in page, and shows a failed single sign-on',
    async () => {
      await page.goto(url('/login?sso_error=expired'));
      await page.getByRole('heading', { name: 'Sign in to Outpost' }).waitFor();
      await page.getByRole('alert').getByText('Single sign-on did not complete').waitFor();
      await page.getByText('The sign-in took too long or was started in another window. Start again.').waitFor();
      // Words put in the URL by someone else are never shown.
      await page.goto(url('/login?sso_error=Call%20this%20number%20to%20unlock'));
      await page.getByText('The identity provider did not confirm the sign-in.', { exact: false }).waitFor();
      expect(await page.getByText('Call this number').count()).toBe(0);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
      const sso = page.getByRole('link', { name: 'Sign in with HQ sign-on' });
      expect(await sso.getAttribute('href')).toBe('/api/v1/auth/oidc/start?returnTo=%2F');
      await shot('login-sso.png');
    },
    STEP,
  );

  it(
    'adds a passkey on the account page',
    async () => {
      await signInWithPassword(page);
      await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      await page.getByRole('button', { name: /^Account menu of/ }).click();
      await page.getByRole('menuitem', { name: 'Account and security' }).click();
      await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
      await page.getByText('No passkey yet.').waitFor();

      await page.getByRole('button', { name: 'Add a passkey' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a passkey' });
      await dialog.getByLabel(/^Name/).fill('Test laptop');
      await dialog.getByRole('button', { name: 'Create the passkey' }).click();
      await page.getByText('Passkey Test laptop added.').waitFor();
      await page
        .getByRole('table', { name: 'Passkeys' })
        .getByRole('cell', { name: 'Test laptop', exact: true })
        .waitFor();
    },
    STEP,
  );

  it(
    'creates an API token in the UI that works from outside, and revokes one',
    async () => {
      await page.goto(url('/account'));
      await page.getByRole('button', { name: 'Create token' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create an API token' });
      await dialog.getByRole('button', { name: 'Create token' }).click();
      await dialog.getByText('Fill in this field.').waitFor();
      await dialog.getByLabel(/^Name/).fill('Nightly sync');
      await dialog.getByText('Read and write').click();
      await dialog.getByRole('button', { name: 'Create token' }).click();
      const created = page.getByRole('dialog', { name: 'Your new API token' });
      await created.getByText('It is shown only this once').waitFor();
      token = await created.getByLabel('Token Nightly sync').inputValue();
      expect(token.length).toBeGreaterThan(20);
      await shot('token-created.png');
      await created.getByRole('button', { name: 'I have copied it, close' }).click();
      await page
        .getByRole('table', { name: 'API tokens' })
        .getByRole('cell', { name: /^Nightly sync/ })
        .waitFor();

      // From outside the browser: reads and writes with the token, no cookie.
      const bearer = { authorization: `Bearer ${token}` };
      const list = await fetch(url('/api/v1/offices'), { headers: bearer });
      expect(list.status).toBe(200);
      expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
      const created2 = await fetch(url('/api/v1/offices'), {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'NBO', name: 'Nairobi office', countries: ['KE'], timezone: 'Africa/Nairobi' }),
      });
      expect(created2.status).toBe(201);
      const office = (await created2.json()) as { id: string; version: number };
      const renamed = await fetch(url(`/api/v1/offices/${office.id}`), {
        method: 'PATCH',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Nairobi liaison office', version: office.version }),
      });
      expect(renamed.status).toBe(200);

      // A second token, revoked in the UI, stops working at once.
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByRole('dialog', { name: 'Create an API token' }).getByLabel(/^Name/).fill('Old script');
      await page
        .getByRole('dialog', { name: 'Create an API token' })
        .getByRole('button', { name: 'Create token' })
        .click();
      const second = await page
        .getByRole('dialog', { name: 'Your new API token' })
        .getByLabel('Token Old script')
        .inputValue();
      await page.getByRole('button', { name: 'I have copied it, close' }).click();
      await page.getByRole('button', { name: 'Revoke token Old script' }).click();
      await page
        .getByRole('dialog', { name: 'Revoke token Old script?' })
        .getByRole('button', { name: 'Revoke' })
        .click();
      await page.getByText('Token Old script revoked.').waitFor();
      expect((await fetch(url('/api/v1/offices'), { headers: { authorization: `Bearer ${second}` } })).status).toBe(
        401,
      );
      await page.getByRole('heading', { name: 'Your account', level: 1 }).scrollIntoViewIfNeeded();
      await shot('account.png');
    },
    STEP,
  );

  it(
    'signs out, then signs in with the passkey alone',
    async () => {
      await signOut(page);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.waitForURL(url('/'));
      await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      await page.getByText('Welcome, E2E Admin.').waitFor();
    },
    STEP,
  );

  it(
    'shows the office created with the token in the audit trail, and the chain verifies',
    async () => {
      await page.goto(url('/admin'));
      await page.getByRole('tab', { name: 'Audit trail' }).click();
      await page.waitForURL(url('/admin/audit'));
      await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
      const row = page.getByRole('row', { name: /Created an office/ });
      await row.waitFor();
      expect(await row.textContent()).toContain('e2e-admin@example.org');
      expect(await row.textContent()).toContain('NBO');
      await row.getByRole('button', { name: /^Details of entry/ }).click();
      await page.getByRole('table', { name: 'Changes' }).getByText('Nairobi office').waitFor();
      // An update reads as before → after.
      const update = page.getByRole('row', { name: /Changed an office/ });
      await update.getByRole('button', { name: /^Details of entry/ }).click();
      const change = page.getByRole('table', { name: 'Changes' }).getByRole('row', { name: /^name/ }).first();
      await change.getByRole('img', { name: 'becomes' }).waitFor();
      expect(await change.textContent()).toMatch(/Nairobi office.*Nairobi liaison office/);

      await page.getByRole('button', { name: 'Verify chain' }).click();
      await page.getByText(/The chain is intact: \d+ entries checked\./).waitFor();

      // Filters are chips, kept in the URL, and the export follows them.
      await page.getByRole('combobox', { name: 'Record' }).click();
      await page.getByRole('option', { name: 'Office' }).click();
      await page.getByRole('group', { name: 'Active filters' }).getByText('Record: Office').waitFor();
      await page.waitForURL(/entity=office/);
      const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
      expect(href).toBe('/api/v1/audit/export.csv?entityType=office');
      const csv = await page.request.get(url(href ?? ''));
      expect(csv.status()).toBe(200);
      expect(await csv.text()).toContain('office.create');
      await page.getByRole('button', { name: 'Clear filters' }).first().click();
      await page
        .getByRole('row', { name: /Signed in/ })
        .first()
        .waitFor();
      await shot('audit.png');
    },
    STEP,
  );

  it(
    'sets the security policy',
    async () => {
      await page.goto(url('/admin/security'));
      await page.getByRole('heading', { name: 'Security policy', level: 1 }).waitFor();
      await page.getByText('No role has to use two-step verification now.').waitFor();
      await page.getByRole('checkbox', { name: /^HQ security/ }).check();
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Security policy saved.').waitFor();
      await page.getByText('Required now for: HQ security.').waitFor();
      await shot('security-policy.png');
    },
    STEP,
  );

  it(
    'turns on two-step verification, then offers the passkey as the second step',
    async () => {
      await page.goto(url('/account'));
      await page
        .getByRole('region', { name: /Two-step verification/ })
        .getByRole('link', { name: 'Turn on' })
        .click();
      await page.getByRole('heading', { name: 'Turn on two-step verification' }).waitFor();
      const secret = (await page.locator('code').first().textContent()) ?? '';
      const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
      await page.getByLabel(/^Code/).fill(totp.generate());
      await page.getByRole('button', { name: 'Turn on' }).click();
      const codes = await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents();
      expect(codes.length).toBeGreaterThan(1);
      await page.getByRole('button', { name: 'I have saved the codes, continue' }).click();
      await page.waitForURL(url('/account'));
      await page
        .getByRole('region', { name: /Two-step verification/ })
        .getByText('On', { exact: true })
        .waitFor();

      await signOut(page);
      await signInWithPassword(page);
      await page.waitForURL(/\/login\/verify/);
      await page.getByRole('button', { name: 'Use a passkey instead' }).click();
      await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();

      // Turned off with the password and a recovery code.
      await page.goto(url('/account'));
      await page
        .getByRole('region', { name: /Two-step verification/ })
        .getByRole('button', { name: 'Turn off' })
        .click();
      const dialog = page.getByRole('dialog', { name: 'Turn off two-step verification?' });
      await dialog.getByLabel(/^Password/).fill('not the password');
      await dialog.getByLabel(/^Code/).fill(codes[0] ?? '');
      await dialog.getByRole('button', { name: 'Turn off' }).click();
      await dialog.getByText('The password is not right.').waitFor();
      await dialog.getByLabel(/^Password/).fill(server?.adminPassword ?? '');
      await dialog.getByRole('button', { name: 'Turn off' }).click();
      await page.getByText('Two-step verification is off.').waitFor();
    },
    STEP,
  );

  it(
    'saves the language chosen in the header to the profile',
    async () => {
      await page.goto(url('/account'));
      await page.getByRole('button', { name: /Change language/ }).click();
      await page.getByRole('menuitem', { name: 'Français' }).click();
      await page.getByRole('heading', { name: 'Votre compte', level: 1 }).waitFor();
      await expect.poll(async () => page.getByRole('combobox', { name: 'Langue' }).inputValue()).toBe('Français');
      const me = await page.request.get(url('/api/v1/auth/me'));
      expect(((await me.json()) as { language: string | null }).language).toBe('fr');
      await shot('account-fr.png');
      await page.getByRole('button', { name: /Changer de langue/ }).click();
      await page.getByRole('menuitem', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    },
    STEP,
  );

  it(
    'lists the sessions, and signs another browser out from the list',
    async () => {
      const other = await browser?.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB' });
      if (!other) throw new Error('no browser');
      const p = await other.newPage();
      p.setDefaultTimeout(15_000);
      p.on('pageerror', (error) => pageErrors.push(error.message));
      await signInWithPassword(p);
      await p.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      await p.goto(url('/account'));
      await p.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();

      // The first browser sees both: itself first, marked, and the other one with a way to sign it out.
      await page.goto(url('/account'));
      const section = page.getByRole('region', { name: 'Sessions' });
      const sessions = section.getByRole('list', { name: 'Signed-in sessions' }).getByRole('listitem');
      await expect.poll(() => sessions.count()).toBe(2);
      const mine = sessions.filter({ hasText: 'This device' });
      const theirs = sessions.filter({ hasNotText: 'This device' });
      expect(await mine.count()).toBe(1);
      expect(await mine.getByRole('button').count()).toBe(0);
      for (const item of [mine, theirs]) {
        const text = (await item.textContent()) ?? '';
        // The user agent read as a browser and a system; times in the user's zone (UTC here), saying so.
        expect(text).toContain('Chrome on Linux');
        expect(text).toContain('IP address 127.0.0.1');
        expect(text).toMatch(/Signed in \w{3} \d{1,2}, \d{4}, \d{2}:\d{2} [AP]M UTC/);
      }
      expect(await mine.textContent()).toContain('Last active now');
      expect(await theirs.textContent()).toMatch(/Last active \w{3} \d{1,2}, \d{4}, \d{2}:\d{2} [AP]M UTC/);
      await section.getByText('Times in UTC.').waitFor();
      await section.screenshot({ path: `${RESULTS}account-sessions.png` });
      await page.setViewportSize({ width: 390, height: 844 });
      await section.screenshot({ path: `${RESULTS}account-sessions-phone.png` });
      await page.setViewportSize({ width: 1280, height: 860 });

      await theirs.getByRole('button', { name: 'Sign out Chrome on Linux' }).click();
      const dialog = page.getByRole('dialog', { name: 'Sign out Chrome on Linux?' });
      await dialog.getByText(/^Last active .* UTC\. That browser has to sign in again/).waitFor();
      await dialog.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.getByText('Chrome on Linux is signed out.').waitFor();
      await expect.poll(() => sessions.count()).toBe(1);
      await section.getByText('No other browser or device is signed in.').waitFor();
      // This browser is still signed in.
      await page.reload();
      await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();

      // The other browser's next request (here: going to the dashboard) finds its session gone: sent to sign in.
      await p.getByRole('link', { name: 'Outpost: go to the dashboard' }).click();
      await p.getByRole('heading', { name: 'Sign in to Outpost' }).waitFor();
      await p.waitForURL(url('/login'));
      await other.close();
    },
    STEP,
  );

  it(
    'fits a phone and dark mode',
    async () => {
      const phone = await browser?.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'en-GB',
        timezoneId: 'Asia/Tbilisi',
        colorScheme: 'dark',
        storageState: await context.storageState(),
        // For axe-core (see below).
        bypassCSP: true,
      });
      if (!phone) throw new Error('no browser');
      const p = await phone.newPage();
      p.on('pageerror', (error) => pageErrors.push(error.message));
      await p.goto(url('/account'));
      await p.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
      await p.getByRole('table', { name: 'API tokens' }).waitFor();
      await shot('account-phone-dark.png', p);
      const problems: Record<string, string[]> = { account: await axeProblems(p) };
      await p.goto(url('/admin/audit'));
      await p.getByRole('row', { name: /Created an office/ }).waitFor();
      // Times in the user's zone, saying which.
      await p.getByRole('columnheader', { name: 'Time (Asia/Tbilisi)' }).waitFor();
      await shot('audit-phone-dark.png', p);
      problems.audit = await axeProblems(p);
      await phone.close();
      expect(problems).toEqual({ account: [], audit: [] });
    },
    STEP,
  );

  it(
    'signs in with single sign-on through the identity provider',
    async () => {
      const sso = await browser?.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB' });
      if (!sso) throw new Error('no browser');
      const p = await sso.newPage();
      p.setDefaultTimeout(15_000);
      await p.goto(url('/login'));
      await p.getByRole('link', { name: 'Sign in with HQ sign-on' }).click();
      // The provider's own (development) login and consent pages.
      await p.locator('input[name="login"]').fill('hq.analyst');
      await p.locator('input[name="password"]').fill('anything');
      await p.locator('button[type="submit"]').click();
      await p.locator('button[type="submit"]').click();
      // Signed in as HQ security, whom the policy set above requires to use two-step verification: enrolment first.
      await p.waitForURL(/\/mfa\/setup/);
      await p.getByText('Your role must use two-step verification. Set it up to continue.').waitFor();
      await sso.close();
    },
    STEP,
  );

  it(
    'passes axe-core on the main pages (serious and critical)',
    async () => {
      // The app's Content-Security-Policy rightly forbids injected scripts: let axe in for this check only.
      const a11y = await browser?.newContext({
        viewport: { width: 1280, height: 860 },
        locale: 'en-GB',
        bypassCSP: true,
      });
      if (!a11y) throw new Error('no browser');
      const p = await a11y.newPage();
      p.setDefaultTimeout(15_000);
      const problems: Record<string, string[]> = {};
      await p.goto(url('/login'));
      await p.getByRole('heading', { name: 'Sign in to Outpost' }).waitFor();
      problems.login = await axeProblems(p);
      await signInWithPassword(p);
      await p.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      await p.getByRole('heading', { name: 'Nairobi liaison office' }).waitFor();
      problems.dashboard = await axeProblems(p);
      await p.getByRole('link', { name: 'Open office' }).click();
      await p.getByRole('heading', { name: 'Nairobi liaison office', level: 1 }).waitFor();
      problems.office = await axeProblems(p);
      await p.goto(url('/admin/audit'));
      await p.getByRole('row', { name: /Created an office/ }).waitFor();
      await p
        .getByRole('row', { name: /Created an office/ })
        .getByRole('button', { name: /^Details/ })
        .click();
      problems.audit = await axeProblems(p);
      await p.goto(url('/account'));
      await p.getByRole('table', { name: 'API tokens' }).waitFor();
      problems.account = await axeProblems(p);
      await p.goto(url('/admin/security'));
      await p.getByRole('checkbox', { name: /^Auditor/ }).waitFor();
      problems.policy = await axeProblems(p);
      await a11y.close();
      expect(problems).toEqual({ login: [], dashboard: [], office: [], audit: [], account: [], policy: [] });
    },
    STEP,
  );

  it(
    'signs out everywhere: the other sessions end too',
    async () => {
      const other = await browser?.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB' });
      if (!other) throw new Error('no browser');
      const p = await other.newPage();
      p.setDefaultTimeout(15_000);
      await signInWithPassword(p);
      await p.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      await p.goto(url('/account'));
      await p.getByRole('button', { name: 'Sign out everywhere' }).click();
      await p
        .getByRole('dialog', { name: 'Sign out on every device?' })
        .getByRole('button', { name: 'Sign out everywhere' })
        .click();
      await p.getByRole('heading', { name: 'Sign in to Outpost' }).waitFor();
      await other.close();
      // The first browser's session ended as well.
      await page.goto(url('/offices'));
      await page.waitForURL(/\/login\?next=%2Foffices$/);
    },
    STEP,
  );

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
