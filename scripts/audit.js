// `npm run audit`: `npm audit --omit=dev` with an allow-list of reviewed advisories (audit-allowlist.json).
// Exit 0: no high or critical advisory outside the allow-list. Exit 1: there is one (listed). Exit 3: the
// audit could not run (no answer from the registry's advisory service): said loudly, never taken as a pass.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERIOUS = new Set(['high', 'critical']);

/**
 * The advisories that fail the audit: high or critical, in a runtime dependency, not allowed (or allowed
 * only until a date that has passed). `report` is `npm audit --json` output; `allow` the allow-list.
 */
export function evaluate(report, allow, today = new Date().toISOString().slice(0, 10)) {
  const allowed = new Map((allow.advisories ?? []).map((a) => [String(a.id), a]));
  const failing = [];
  for (const [pkg, v] of Object.entries(report.vulnerabilities ?? {})) {
    for (const via of v.via ?? []) {
      if (typeof via !== 'object' || !SERIOUS.has(via.severity)) continue;
      const id = String(via.source ?? via.url ?? via.title);
      const a = allowed.get(id);
      if (a && (!a.until || a.until >= today)) continue;
      failing.push({ package: pkg, id, severity: via.severity, title: via.title, url: via.url, expired: Boolean(a) });
    }
  }
  return failing;
}

function main() {
  const allowFile = path.join(ROOT, 'audit-allowlist.json');
  const allow = existsSync(allowFile) ? JSON.parse(readFileSync(allowFile, 'utf8')) : { advisories: [] };
  const r = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: ROOT, encoding: 'utf8' });
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    report = null;
  }
  if (!report || report.error || !report.vulnerabilities) {
    const why = report?.message ?? report?.error?.summary ?? (r.stderr.trim().split('\n')[0] || 'no report');
    process.stderr.write(`audit: COULD NOT RUN — the registry's advisory service did not answer (${why}).\n`);
    process.exit(3);
  }
  const failing = evaluate(report, allow);
  for (const f of failing)
    process.stderr.write(
      `audit: ${f.severity} ${f.package}: ${f.title} (${f.url})${f.expired ? ' — allow-list entry expired' : ''}\n`,
    );
  const total = Object.keys(report.vulnerabilities).length;
  process.stdout.write(`audit: ${total} advisory package(s) reported, ${failing.length} high/critical not allowed\n`);
  process.exit(failing.length ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
