import type { Reporter, TestModule } from 'vitest/node';
import { clearVerification, readVerification, verificationTable } from './verification.ts';

/**
 * Ends the output with one plain line, "N passed, N failed, N skipped", that any CI can read,
 * after vitest's own summary — preceded by the verification summary table when verification tests ran.
 */
export default class SummaryReporter implements Reporter {
  onInit(): void {
    clearVerification();
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      let failedHere = 0;
      for (const t of m.children.allTests()) {
        const s = t.result().state;
        if (s === 'passed') passed++;
        else if (s === 'failed') failedHere++;
        else skipped++;
      }
      // A file that failed outside its tests (an import error, a failing beforeAll) counts as one
      // failure even when every test in it was skipped.
      if (m.state() === 'failed' && failedHere === 0) failedHere = 1;
      failed += failedHere;
    }
    failed += errors.length;
    const rows = readVerification();
    if (rows.length > 0) process.stdout.write(`\n${verificationTable(rows)}\n`);
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
