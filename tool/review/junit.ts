/**
 * The review's checks as a JUnit report (`review --junit FILE`), the format CI systems show as
 * test results: one suite per kind of check, one case per thing checked, a failure with its
 * reason, a skip with why it could not be judged.
 */
export interface Check {
  /** The kind of check: lint, history, drift. */
  suite: string;
  /** What was checked: a migration, a database. */
  name: string;
  failure?: { message: string; detail?: string };
  skipped?: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function junitReport(checks: Check[]): string {
  const suites = [...new Set(checks.map((check) => check.suite))];
  const count = (list: Check[]) =>
    `tests="${list.length}" failures="${list.filter((c) => c.failure).length}" skipped="${list.filter((c) => c.skipped).length}"`;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="usualstore-db review" ${count(checks)}>`];
  for (const suite of suites) {
    const cases = checks.filter((check) => check.suite === suite);
    lines.push(`  <testsuite name="${escape(suite)}" ${count(cases)}>`);
    for (const check of cases) {
      const open = `    <testcase classname="${escape(suite)}" name="${escape(check.name)}"`;
      if (check.failure) {
        lines.push(
          `${open}>`,
          `      <failure message="${escape(check.failure.message)}">${escape(check.failure.detail ?? check.failure.message)}</failure>`,
          '    </testcase>',
        );
      } else if (check.skipped) lines.push(`${open}>`, `      <skipped message="${escape(check.skipped)}"/>`, '    </testcase>');
      else lines.push(`${open}/>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
