// The app's Content-Security-Policy has no 'unsafe-eval' (src/server/web.ts). Unless told otherwise, zod probes
// `new Function` when the first schemas are built, to compile faster validators: the probe is caught, but it is
// still a CSP violation, reported on every page load (noise that would hide a real one). This deferred classic
// script runs before the app's module script (deferred scripts run in document order) and turns zod's JIT off
// through its shared global configuration, before any schema exists. e2e/stored-xss.e2e.test.ts fails on any
// CSP violation, so it notices if a zod upgrade stops reading this.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
