import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The project's root: the nearest directory up from here with a package.json (from src/server or dist/node/server). */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export const WEB_DIST = path.join(projectRoot(), 'dist/web');

/** Content-Security-Policy of the web app: nothing from elsewhere, no inline script. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** Serves the built single-page app from dist/web, with index.html for every client-side route. */
export async function registerWeb(app: FastifyInstance, webDist = WEB_DIST): Promise<boolean> {
  const built = existsSync(path.join(webDist, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: webDist,
      prefix: '/',
      // Files are looked up per request (not listed at start), so a rebuild is served without a restart.
      wildcard: true,
      index: ['index.html'],
      cacheControl: false,
      // The build writes .br and .gz beside each file (vite.config.ts); send those when the browser accepts them.
      preCompressed: true,
      setHeaders(res, file) {
        res.header(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (!req.url.startsWith('/api/docs')) {
      reply.header('x-frame-options', 'DENY');
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html'))
        reply.header('content-security-policy', CSP);
    }
    return payload;
  });
  return built;
}

/** For the not-found handler: a browser asking for an app page gets the app, everything else a 404 problem. */
export function isAppPage(method: string, url: string, accept: string | undefined): boolean {
  return method === 'GET' && !url.startsWith('/api') && (accept ?? '').includes('text/html');
}
