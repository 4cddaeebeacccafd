/** `usualstore-db migrate drift [--json]`: exit 0 no drift, 2 drift, 1 an error. */
import { describeDrift, driftOf } from '../../../migrator/verify/drift';
import type { InputOf } from '../../options';
import { say, warn } from '../../output';
import { database, migrations } from '../../values';

export const EXIT_DRIFT = 2;

export async function run(input: InputOf<'migrate drift'>): Promise<number> {
  const report = await driftOf({
    target: database(input),
    migrations: migrations(input),
    lockTimeoutMs: input.values['lock-timeout'],
    warn,
  });
  if (input.values.json) say(JSON.stringify(report, null, 2));
  else for (const line of describeDrift(report)) say(line);
  return report.differences.length > 0 ? EXIT_DRIFT : 0;
}
