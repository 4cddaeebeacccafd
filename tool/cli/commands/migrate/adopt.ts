/** `usualstore-db migrate adopt` (a soda-migrated database) and `migrate baseline --to VERSION`
 * (one built by hand or by another tool). */
import { adopt, baseline as baselineDatabase } from '../../../migrator/takeover/adopt';
import { say, warn } from '../../output';
import type { CommandInput } from '../../command';
import { database, migrations, ms, text } from '../../values';

export async function run(input: CommandInput): Promise<number> {
  await adopt({ lockTimeoutMs: ms(input, 'lock-timeout'), migrations: migrations(input), target: database(input), say, warn });
  return 0;
}

export async function baseline(input: CommandInput): Promise<number> {
  await baselineDatabase({
    to: text(input, 'to')!,
    reason: text(input, 'reason')!,
    lockTimeoutMs: ms(input, 'lock-timeout'),
    migrations: migrations(input),
    target: database(input),
    say,
    warn,
  });
  return 0;
}
