// npm run screenshot: the README's picture — the demo office's dashboard in Debian's chromium.
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/chromium.ts';
import { startTestServer } from '../test/test-server.ts';
import { ROOT } from './web-build.js';

const server = await startTestServer({ demo: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.url}/login`);
  await page.getByLabel('E-mail address').fill(server.adminEmail);
  await page.getByLabel(/^Password/).fill(server.adminPassword);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  await page.getByText('Liaison Office Tbilisi').first().waitFor();
  await page.waitForTimeout(500);
  const file = path.join(ROOT, 'docs/screenshot.png');
  await page.screenshot({ path: file });
  process.stdout.write(`wrote ${file}\n`);
} finally {
  await browser.close();
  await server.close();
}
