import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ChunkSize, ColdLoad, FrontendResult } from './results.ts';

const size = (file: string) => {
  const buf = readFileSync(file);
  return { bytes: buf.length, gzipBytes: gzipSync(buf, { level: 9 }).length };
};

/** Relative chunks a module imports statically (`import … from "./x.js"`, `export … from`, `import "./x.js"`). */
export function staticImports(source: string): string[] {
  const out = new Set<string>();
  const re = /(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.\.?\/[^"']+\.js)["']/g;
  for (const m of source.matchAll(re)) out.add(m[1] as string);
  return [...out];
}

function closure(assets: string, entries: string[]): string[] {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const f = queue.shift() as string;
    if (seen.has(f) || !existsSync(path.join(assets, f))) continue;
    seen.add(f);
    for (const dep of staticImports(readFileSync(path.join(assets, f), 'utf8'))) queue.push(path.basename(dep));
  }
  return [...seen];
}

function total(assets: string, files: string[]) {
  return files.reduce(
    (acc, f) => {
      const s = size(path.join(assets, f));
      return { files: acc.files, bytes: acc.bytes + s.bytes, gzipBytes: acc.gzipBytes + s.gzipBytes };
    },
    { files, bytes: 0, gzipBytes: 0 },
  );
}

/**
 * Sizes of the production bundle (gzip -9 of each file), and the JavaScript the first screen needs: the
 * entry script of index.html with everything it imports statically (what the browser must fetch before
 * the app runs), plus the dashboard route's chunk and its static imports.
 */
export function bundleSizes(dist: string): Omit<FrontendResult, 'current' | 'servedEncoding' | 'coldLoads'> {
  const index = path.join(dist, 'index.html');
  if (!existsSync(index))
    return {
      built: false,
      chunks: [],
      initialJs: null,
      firstScreenJs: null,
      css: null,
      note: 'dist/web/index.html missing',
    };
  const assets = path.join(dist, 'assets');
  const files = existsSync(assets) ? readdirSync(assets).filter((f) => /\.(js|css)$/.test(f)) : [];
  const chunks: ChunkSize[] = files.map((f) => ({ file: f, ...size(path.join(assets, f)) }));
  const html = readFileSync(index, 'utf8');
  const entries = [...html.matchAll(/<script[^>]+type="module"[^>]+src="\/assets\/([^"]+)"/g)].map(
    (m) => m[1] as string,
  );
  const initial = closure(assets, entries);
  const dashboard = files.find((f) => /^dashboard\.page-.*\.js$/.test(f));
  const firstScreen = dashboard ? closure(assets, [...initial, dashboard]) : initial;
  const cssFiles = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="\/assets\/([^"]+)"/g)].map(
    (m) => m[1] as string,
  );
  const css = total(assets, cssFiles);
  return {
    built: true,
    chunks,
    initialJs: entries.length ? total(assets, initial) : null,
    firstScreenJs: entries.length ? total(assets, firstScreen) : null,
    css: cssFiles.length ? { bytes: css.bytes, gzipBytes: css.gzipBytes } : null,
    ...(dashboard ? {} : { note: 'no dashboard.page chunk found: first screen = initial JS' }),
  };
}

const LCP_OBSERVER = `
  window.__lcp = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__lcp = e.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
`;

const READ_TIMINGS = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const js = performance.getEntriesByType('resource')
    .filter((r) => r.name.endsWith('.js'))
    .reduce((s, r) => s + r.transferSize, 0);
  return {
    fcp: fcp ? fcp.startTime : null,
    lcp: window.__lcp || null,
    dcl: nav ? nav.domContentLoadedEventEnd : null,
    load: nav ? nav.loadEventEnd : null,
    js,
  };
})()`;

interface Page {
  page: string;
  path: string;
  signedIn: boolean;
  /** Wait for a table row and report when it appeared. */
  list?: boolean;
}

/**
 * Cold loads in Debian's chromium (playwright-core): a new browser context per page (empty cache), the
 * session cookie set for signed-in pages. FCP and LCP from the page's own Performance API.
 */
export async function coldLoads(baseUrl: string, sessionCookie: string, pages: Page[]): Promise<ColdLoad[]> {
  const executablePath = '/usr/bin/chromium';
  if (!existsSync(executablePath)) return pages.map((p) => empty(p, 'chromium not installed'));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const out: ColdLoad[] = [];
  try {
    for (const p of pages) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      try {
        if (p.signedIn)
          await context.addCookies([{ name: 'outpost_session', value: sessionCookie, url: baseUrl, httpOnly: true }]);
        const page = await context.newPage();
        // Browser-side code as strings: the server's TypeScript settings have no DOM types.
        await page.addInitScript(LCP_OBSERVER);
        const t0 = Date.now();
        const doc = await page.goto(baseUrl + p.path, { waitUntil: 'load', timeout: 30_000 });
        let firstRowMs: number | null | undefined;
        if (p.list) {
          firstRowMs = await page
            .waitForSelector('table tbody tr', { timeout: 10_000 })
            .then(() => Date.now() - t0)
            .catch(() => null);
        }
        await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {});
        const m = (await page.evaluate(READ_TIMINGS)) as {
          fcp: number | null;
          lcp: number | null;
          dcl: number | null;
          load: number | null;
          js: number;
        };
        out.push({
          page: p.page,
          path: p.path,
          status: doc?.status() ?? null,
          finalPath: new URL(page.url()).pathname,
          fcpMs: m.fcp,
          lcpMs: m.lcp,
          domContentLoadedMs: m.dcl,
          loadMs: m.load,
          ...(p.list ? { firstRowMs: firstRowMs ?? null } : {}),
          jsTransferBytes: m.js,
        });
      } catch (err) {
        out.push(empty(p, (err as Error).message.split('\n')[0] ?? 'failed'));
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return out;
}

function empty(p: Page, error: string): ColdLoad {
  return {
    page: p.page,
    path: p.path,
    fcpMs: null,
    lcpMs: null,
    domContentLoadedMs: null,
    loadMs: null,
    jsTransferBytes: null,
    error,
  };
}
