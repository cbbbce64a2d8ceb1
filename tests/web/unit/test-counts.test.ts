// scripts/lib/test-counts.mjs: `npm test` fails a suite that ran no test. The outputs below are the
// closing lines these runners print (ctest 3.25, Node 20's test runner, Vitest 4), and the stats of
// @playwright/test 1.65's JSON report.
import { describe, expect, it } from 'vitest';
import { countTests, suiteOutcome } from '../../../scripts/lib/test-counts.mjs';

const CTEST_WITH_SKIPS = `    Start 1: a
1/3 Test #1: a ................................***Skipped   0.02 sec
2/3 Test #2: b ................................   Passed    0.02 sec
3/3 Test #3: c ................................   Passed    0.02 sec

100% tests passed, 0 tests failed out of 3

Total Test time (real) =   0.04 sec

The following tests did not run:
\t  1 - a (Skipped)
`;

const NODE_TAP = (tests: number, skipped: number) => `TAP version 13
1..${tests}
# tests ${tests}
# suites 0
# pass ${tests - skipped}
# fail 0
# cancelled 0
# skipped ${skipped}
# todo 0
`;

/** A JSON report of @playwright/test as it writes it (its config and suites left out). */
const PLAYWRIGHT_REPORT = (expected: number, unexpected: number, skipped: number, errors: string[] = []) =>
  JSON.stringify({
    suites: [],
    errors: errors.map((message) => ({ message, stack: message })),
    stats: { startTime: '2026-12-04T02:58:45.004Z', duration: 19500.2, expected, skipped, unexpected, flaky: 0 },
  });

describe('countTests', () => {
  it('reads ctest: tests run, the skipped ones apart, and "No tests were found" as none', () => {
    expect(countTests('ctest', CTEST_WITH_SKIPS)).toEqual({ run: 2, skipped: 1 });
    expect(countTests('ctest', 'Test project /tmp/b\nNo tests were found!!!\n')).toEqual({ run: 0, skipped: 0 });
    expect(countTests('ctest', '75% tests passed, 1 tests failed out of 4\n')).toEqual({ run: 4, skipped: 0 });
  });

  it('reads node --test in TAP and in the spec reporter', () => {
    expect(countTests('node', NODE_TAP(0, 0))).toEqual({ run: 0, skipped: 0 });
    expect(countTests('node', NODE_TAP(7, 2))).toEqual({ run: 5, skipped: 2 });
    expect(countTests('node', 'ℹ tests 4\nℹ suites 1\nℹ pass 4\nℹ fail 0\nℹ skipped 1\n')).toEqual({ run: 3, skipped: 1 });
  });

  it('reads Vitest through its colours, and "No test files found" as none', () => {
    const colored = '\x1b[2m      Tests \x1b[22m \x1b[1m\x1b[32m5 passed\x1b[39m\x1b[22m | \x1b[33m1 skipped\x1b[39m\x1b[90m (6)\x1b[39m\n';
    expect(countTests('vitest', colored)).toEqual({ run: 5, skipped: 1 });
    expect(countTests('vitest', ' Test Files  1 passed (1)\n      Tests  6 passed (6)\n')).toEqual({ run: 6, skipped: 0 });
    expect(countTests('vitest', '\x1b[31mNo test files found, exiting with code 1\n')).toEqual({ run: 0, skipped: 0 });
  });

  it('reads Playwright\'s JSON report: passed and failed tests run, skipped apart, an empty folder as none', () => {
    expect(countTests('playwright', PLAYWRIGHT_REPORT(5, 1, 2))).toEqual({ run: 6, skipped: 2, failed: 1 });
    expect(countTests('playwright', PLAYWRIGHT_REPORT(44, 0, 0))).toEqual({ run: 44, skipped: 0, failed: 0 });
    // `playwright test` on a folder without tests (exit 1 "No tests found", or 0 with --pass-with-no-tests).
    expect(countTests('playwright', PLAYWRIGHT_REPORT(0, 0, 0, ['Error: No tests found']))).toEqual({ run: 0, skipped: 0, failed: 0 });
  });

  it('has no count for output without a summary, and names the runners it knows', () => {
    expect(countTests('node', 'some crash\n')).toBeUndefined();
    expect(countTests('ctest', '')).toBeUndefined();
    expect(countTests('playwright', '')).toBeUndefined(); // no report written
    expect(countTests('playwright', '{"errors": []}')).toBeUndefined();
    expect(() => countTests('pytest', '')).toThrow(/unknown runner "pytest"; known: ctest, node, vitest, playwright/);
  });
});

describe('suiteOutcome', () => {
  it('passes a suite only when it exited 0 and ran a test', () => {
    expect(suiteOutcome(0, { run: 12, skipped: 2 })).toEqual({ status: 'passed', detail: '12 tests, 2 skipped' });
    expect(suiteOutcome(0, { run: 0, skipped: 0 })).toEqual({ status: 'failed', detail: 'ran no test' });
    expect(suiteOutcome(0, { run: 0, skipped: 3 })).toEqual({ status: 'failed', detail: 'ran no test (3 skipped)' });
    expect(suiteOutcome(0, undefined)).toEqual({ status: 'failed', detail: 'no test summary in its output' });
    expect(suiteOutcome(8, { run: 0, skipped: 0 })).toEqual({ status: 'failed', detail: 'exit code 8' });
    expect(suiteOutcome(1, { run: 44, skipped: 0, failed: 3 })).toEqual({ status: 'failed', detail: 'exit code 1 (3 of 44 tests failed)' });
  });
});
