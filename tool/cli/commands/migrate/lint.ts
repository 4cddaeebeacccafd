/** `usualstore-db migrate lint [NAME...]`: squawk over the SQL the migrations would run, and the
 * change judged against its base as migrate up would judge it (policy.ts). */
import { projectRoot } from '../../../base/project';
import { plural } from '../../../base/text';
import { lintMigrations } from '../../../migrator/verify/lint';
import type { InputOf } from '../../options';
import { paint, say, warn } from '../../output';
import { migrations } from '../../values';

/** squawk's levels, lowest first: --fail-on names the lowest that fails. */
const LEVELS = ['warning', 'error'];

export async function run(input: InputOf<'migrate lint'>): Promise<number> {
  const result = await lintMigrations({ migrations: migrations(input), projectDir: projectRoot(), names: input.positionals });
  const failOn = LEVELS.indexOf(input.values['fail-on']);
  const failing = result.findings.filter((finding) => LEVELS.indexOf(finding.level) >= failOn || !LEVELS.includes(finding.level));
  const failed = failing.length > 0 || result.history.refusal !== null;
  if (input.values.json) {
    say(JSON.stringify(result, null, 2));
    return failed ? 1 : 0;
  }
  for (const finding of result.findings) {
    const where = finding.line === null ? finding.migration : `${finding.file} line ${finding.line}`;
    say(`${where}: ${paint(finding.rule, 'red')} (${finding.level}): ${finding.message}`);
    say(`  in: ${finding.statement}`);
    if (finding.help) say(`  help: ${finding.help}`);
  }
  const { history } = result;
  if (history.refusal)
    say(`${paint('history', 'red')}: migrate up would refuse this change on a database at ${history.base}: ${history.refusal}`);
  for (const line of history.warnings) warn(line);
  const scope = input.positionals.length > 0 ? 'named' : result.baseline ? `after the baseline ${result.baseline}` : 'all';
  const linted = result.linted.length === 0 ? 'no migration to lint' : `${plural(result.linted.length, 'migration')} (${scope})`;
  const judged = history.not_judged
    ? `history not judged (${history.not_judged})`
    : `history judged against ${history.base}${history.refusal ? ': refused' : ''}`;
  const failingNote =
    failing.length === result.findings.length ? '' : ` (${failing.length} at --fail-on ${input.values['fail-on']} or above)`;
  say(
    `lint: ${plural(result.findings.length, 'finding')}${failingNote} in ${linted}; ${judged}; rules: squawk, as .squawk.toml configures it, and the TypeScript type check`,
  );
  return failed ? 1 : 0;
}
