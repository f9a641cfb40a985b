import type { BrowserContext, Page } from 'playwright-core';

/**
 * Stored cross-site scripting probes for the browser tests: the hostile strings, a guard installed in every
 * page and frame before the app's own code runs, and a scan of the DOM for markup a payload could have
 * made. Each payload, if it ran, would set `window.__xss` (the guard turns that into a console report) or
 * open a dialog; a blocked attempt shows up as a CSP violation.
 */

/** Hostile text for any field: shown as typed, never run. */
export const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=2">',
  '"><svg onload=window.__xss=3>',
  "'';!--\"<XSS>=&{()}",
  '<a href="javascript:window.__xss=4">click</a>',
  '{{constructor.constructor("window.__xss=5")()}}',
  'javascript:window.__xss=12',
  '" autofocus onfocus="window.__xss=13" x="',
  '</title></textarea><img src=x onerror=window.__xss=14>',
  '<iframe srcdoc="<script>parent.__xss=9</script>"></iframe>',
] as const;

/** `<script>parent.__xss=11</script>` as a data: URL (an HTML document) and an SVG that would run on load. */
const DATA_HTML = `data:text/html;base64,${Buffer.from('<script>parent.__xss=11</script>').toString('base64')}`;
const DATA_SVG = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="parent.__xss=15"/>').toString('base64')}`;

/**
 * Markdown-specific payloads, for fields rendered as Markdown: dangerous link and image destinations (the
 * link text, `x6` and so on, is what is left to click), raw HTML blocks and inline HTML, an autolink with a
 * javascript: scheme, data: URLs, a reference definition and an entity-encoded scheme.
 */
export const MARKDOWN_PAYLOADS = [
  '[x6](javascript:window.__xss=6)',
  '![x7](x" onerror="window.__xss=7)',
  '<img src=x onerror=window.__xss=8>',
  '<iframe srcdoc="<script>parent.__xss=9</script>">',
  '<javascript:window.__xss=10>',
  `[x11](${DATA_HTML})`,
  `![x15](${DATA_SVG})`,
  '[x17](JaVaScRiPt&#58;window.__xss=17)',
  '<a href="javascript:window.__xss=18">x18</a>',
  '[x19](  javascript:window.__xss=19  "t")',
] as const;

/** A reference-style link whose definition is a javascript: URL (two lines: Markdown fields only). */
export const MARKDOWN_REFERENCE = '[x16][r16]\n\n[r16]: javascript:window.__xss=16';

/** The link texts the Markdown payloads leave behind: each is clicked, and must run nothing. */
export const MARKDOWN_LINK_TEXTS = ['x6', 'x11', 'x16', 'x17', 'x19', 'javascript:window.__xss=10'] as const;

/** Every payload that cycles through the plain-text fields. */
export const ALL_PAYLOADS: readonly string[] = [...PAYLOADS, ...MARKDOWN_PAYLOADS];

/** Console messages the guard writes. */
export const GUARD_PREFIX = '[xss-guard]';

/**
 * Runs in every document (and frame) before the page's scripts: reports a write to `window.__xss` and every
 * CSP violation on the console. Added through the DevTools protocol, so the page's CSP does not apply to it.
 * (Browser code is kept as source text: the e2e tree is type-checked without the DOM library.)
 */
const GUARD_SCRIPT = `(() => {
  const report = (what) => console.error(${JSON.stringify(GUARD_PREFIX)} + ' ' + what);
  let fired;
  try {
    Object.defineProperty(window, '__xss', {
      configurable: false,
      get: () => fired,
      set: (v) => { fired = v; report('window.__xss=' + String(v) + ' on ' + location.href); },
    });
  } catch {}
  document.addEventListener('securitypolicyviolation', (e) =>
    report('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' (' + e.sample + ') at ' +
      e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber), true);
})();`;

export interface XssWatch {
  /** Dialogs opened (alert, confirm, prompt, beforeunload). */
  dialogs: string[];
  /** `window.__xss` writes and CSP violations (from the guard or chromium's own console message). */
  ran: string[];
  cspViolations: string[];
  pageErrors: string[];
}

/** Installs the guard in a context and collects what a page reports. */
export async function watchForXss(context: BrowserContext): Promise<XssWatch> {
  await context.addInitScript({ content: GUARD_SCRIPT });
  return { dialogs: [], ran: [], cspViolations: [], pageErrors: [] };
}

export function listen(page: Page, watch: XssWatch): void {
  page.on('console', (m) => {
    const text = m.text();
    if (text.startsWith(GUARD_PREFIX)) {
      if (text.includes('CSP violation')) watch.cspViolations.push(text);
      else watch.ran.push(text);
    } else if (/content security policy/i.test(text)) {
      watch.cspViolations.push(text);
    }
  });
  page.on('dialog', (d) => {
    watch.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => {});
  });
  page.on('pageerror', (error) => watch.pageErrors.push(error.message));
}

export interface DomFindings {
  /** Markup a payload could have made: event-handler attributes, script URLs, frames, inline scripts. */
  dangerous: string[];
  /** The page's visible text and the values of its form fields, white space collapsed. */
  text: string;
}

/** The page's visible text and the values of its form fields, white space collapsed (a browser expression). */
export const PAGE_TEXT = `[document.body.innerText, ...Array.from(document.querySelectorAll('input, textarea'), (el) => el.value)]
  .join('\\n').replace(/\\s+/g, ' ')`;

/** Dangerous markup anywhere in the document (a browser expression answering a list of findings). */
const DANGEROUS_MARKUP = `(() => {
  const dangerous = [];
  const describe = (el) => '<' + el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '>';
  const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background',
    'ping', 'srcset', 'codebase', 'cite', 'longdesc', 'manifest']);
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'portal'].includes(tag))
      dangerous.push(describe(el) + ' element');
    if (tag === 'script') {
      const src = el.getAttribute('src');
      if (!src) dangerous.push('inline <script>');
      else if (new URL(src, location.href).origin !== location.origin) dangerous.push('<script src="' + src + '">');
    }
    if (tag === 'meta' && /refresh/i.test(el.getAttribute('http-equiv') || '')) dangerous.push('<meta refresh>');
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      // What a browser ignores when it reads a URL's scheme: white space and control characters.
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      const shown = describe(el) + ' ' + name + '="' + attr.value + '"';
      if (name.startsWith('on')) dangerous.push(shown);
      if (name === 'srcdoc') dangerous.push(shown);
      if (name === 'style' && /expression\\(|javascript:/i.test(attr.value)) dangerous.push(shown);
      if (URL_ATTRIBUTES.has(name) || name.endsWith(':href')) {
        const isImage = tag === 'img' && /^data:image\\/(png|gif|jpe?g|webp|svg\\+xml)[;,]/.test(value);
        if (/^(javascript|vbscript|livescript):/.test(value) || (value.startsWith('data:') && !isImage))
          dangerous.push(shown);
      }
    }
  }
  return dangerous;
})()`;

/** Looks through the whole document for dangerous markup, and returns what the page shows. */
export async function scanDom(page: Page): Promise<DomFindings> {
  return page.evaluate<DomFindings>(`({ dangerous: ${DANGEROUS_MARKUP}, text: ${PAGE_TEXT} })`);
}

/** White space collapsed, as {@link scanDom} returns the page's text. */
export function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
