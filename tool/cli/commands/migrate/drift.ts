/** `usualstore-db migrate drift [--json]`: exit 0 no drift, 2 drift, 1 an error. */
import { describeDrift, driftOf } from '../../../migrator/verify/drift';
import type { CommandInput } from '../../command';
import { say, warn } from '../../output';
import { database, flag, migrations, ms } from '../../values';

export const EXIT_DRIFT = 2;

export async function run(input: CommandInput): Promise<number> {
  const report = await driftOf({ target: database(input), migrations: migrations(input), lockTimeoutMs: ms(input, 'lock-timeout'), warn });
  if (flag(input, 'json')) say(JSON.stringify(report, null, 2));
  else for (const line of describeDrift(report)) say(line);
  return report.differences.length > 0 ? EXIT_DRIFT : 0;
}
