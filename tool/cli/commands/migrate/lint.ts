/** `usualstore-db migrate lint [NAME...]`: squawk over the SQL the migrations would run. */
import { plural } from '../../../base/text';
import { projectRoot } from '../../../migrator/files';
import { lintMigrations } from '../../../migrator/lint';
import type { CommandInput } from '../../command';
import { paint, say } from '../../output';
import { flag, migrationsDir } from '../../values';

export async function run(input: CommandInput): Promise<number> {
  const result = await lintMigrations({ migrationsDir: migrationsDir(input), projectDir: projectRoot(), names: input.positionals });
  if (flag(input, 'json')) {
    say(JSON.stringify(result, null, 2));
    return result.findings.length > 0 ? 1 : 0;
  }
  for (const finding of result.findings) {
    say(`${finding.migration}: ${paint(finding.rule, 'red')} (${finding.level}): ${finding.message}`);
    say(`  in: ${finding.statement}`);
    if (finding.help) say(`  help: ${finding.help}`);
  }
  const scope = input.positionals.length > 0 ? 'named' : result.baseline ? `after the baseline ${result.baseline}` : 'all';
  const migrations = result.linted.length === 0 ? 'no migration to lint' : `${plural(result.linted.length, 'migration')} (${scope})`;
  say(`lint: ${plural(result.findings.length, 'finding')} in ${migrations}; rules: squawk, as .squawk.toml configures it`);
  return result.findings.length > 0 ? 1 : 0;
}
