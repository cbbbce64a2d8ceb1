// How many tests a suite ran, read from its runner's closing lines (or, for @playwright/test, its
// JSON report): a suite whose runner exits 0 after running no test at all (ctest "No tests were
// found", `node --test` on no file, Vitest with no file, Playwright with --pass-with-no-tests) has
// not passed, and `npm test` says so. Skipped tests are counted apart.

const ANSI_ESCAPES = /\x1b\[[0-9;]*m/g;

/**
 * { run, skipped } from the output of `runner` ('ctest', 'node', 'vitest' or 'playwright', whose
 * output is its JSON report; it also gives `failed`), or undefined when the output has no summary
 * of that runner (it was cut short, or another program printed it).
 */
export function countTests(runner, output) {
  const text = output.replace(ANSI_ESCAPES, '');
  const counter = COUNTERS[runner];
  if (!counter) throw new Error(`countTests: unknown runner "${runner}"; known: ${Object.keys(COUNTERS).join(', ')}`);
  return counter(text);
}

const lastMatch = (text, pattern) => [...text.matchAll(pattern)].at(-1);

const COUNTERS = {
  // "100% tests passed, 0 tests failed out of 12", then "  3 - name (Skipped)" per skipped test.
  ctest(text) {
    if (/No tests were found/.test(text)) return { run: 0, skipped: 0 };
    const summary = lastMatch(text, /^\d+% tests passed, \d+ tests? failed out of (\d+)/gm);
    if (!summary) return undefined;
    const skipped = (text.match(/^\s*\d+ - .* \(Skipped\)$/gm) ?? []).length;
    return { run: Number(summary[1]) - skipped, skipped };
  },
  // TAP ("# tests 3" … "# skipped 1") or the spec reporter ("ℹ tests 3" … "ℹ skipped 1").
  node(text) {
    const total = lastMatch(text, /^(?:#|ℹ) tests (\d+)$/gm);
    if (!total) return undefined;
    const skipped = Number(lastMatch(text, /^(?:#|ℹ) skipped (\d+)$/gm)?.[1] ?? 0);
    return { run: Number(total[1]) - skipped, skipped };
  },
  // "Tests  5 passed | 1 skipped (6)"; "No test files found, exiting with code 1".
  vitest(text) {
    if (/No test files found/.test(text)) return { run: 0, skipped: 0 };
    const summary = lastMatch(text, /^\s*Tests\s+(.*)\((\d+)\)\s*$/gm);
    if (!summary) return undefined;
    const skipped = Number(/(\d+) skipped/.exec(summary[1])?.[1] ?? 0);
    return { run: Number(summary[2]) - skipped, skipped };
  },
  // The JSON reporter's "stats": expected (passed), unexpected (failed), flaky (passed on a retry;
  // none with retries: 0) and skipped tests.
  playwright(text) {
    let stats;
    try {
      ({ stats } = JSON.parse(text));
    } catch {
      return undefined;
    }
    if (!stats) return undefined;
    return { run: stats.expected + stats.unexpected + stats.flaky, skipped: stats.skipped, failed: stats.unexpected };
  },
};

/**
 * A suite's status from its exit code and test counts: it passed only when it exited 0 and ran
 * at least one test. `detail` says why not, or how many ran and were skipped.
 */
export function suiteOutcome(exitCode, counts) {
  if (exitCode !== 0) return { status: 'failed', detail: `exit code ${exitCode}${counts?.failed ? ` (${counts.failed} of ${counts.run} tests failed)` : ''}` };
  if (!counts) return { status: 'failed', detail: 'no test summary in its output' };
  if (counts.run === 0) return { status: 'failed', detail: `ran no test${counts.skipped ? ` (${counts.skipped} skipped)` : ''}` };
  return { status: 'passed', detail: `${counts.run} tests${counts.skipped ? `, ${counts.skipped} skipped` : ''}` };
}
