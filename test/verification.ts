import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The verification summary (issue #7): each verification test records what it measured, and the summary
 * reporter prints one table at the end of `npm test` and `npm run verify`. Tests run in worker processes,
 * the reporter in the main one: they meet in files under test-results/verification/.
 */
export const VERIFICATION_DIR = path.join(process.cwd(), 'test-results', 'verification');

export interface VerificationRow {
  /** Sort key and file name, e.g. `1-crash`. */
  key: string;
  check: string;
  measured: string;
  /** The must-hold part, e.g. "acknowledged writes lost = 0". */
  requirement: string;
  ok: boolean;
}

export function recordVerification(row: VerificationRow): void {
  mkdirSync(VERIFICATION_DIR, { recursive: true });
  writeFileSync(path.join(VERIFICATION_DIR, `${row.key}.json`), JSON.stringify(row));
}

export function clearVerification(): void {
  rmSync(VERIFICATION_DIR, { recursive: true, force: true });
}

export function readVerification(): VerificationRow[] {
  let files: string[];
  try {
    files = readdirSync(VERIFICATION_DIR).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.sort().map((f) => JSON.parse(readFileSync(path.join(VERIFICATION_DIR, f), 'utf8')) as VerificationRow);
}

export function verificationTable(rows: readonly VerificationRow[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    'Verification summary',
    '',
    '| | check | measured | must hold |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.ok ? '✓' : '✗'} | ${cell(r.check)} | ${cell(r.measured)} | ${cell(r.requirement)} |`),
  ].join('\n');
}
