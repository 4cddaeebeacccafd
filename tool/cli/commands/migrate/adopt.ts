/** `usualstore-db migrate adopt` (a soda-migrated database) and `migrate baseline --to VERSION`
 * (one built by hand or by another tool). */
import { adopt, baseline as baselineDatabase } from '../../../migrator/takeover/adopt';
import { say, warn } from '../../output';
import type { InputOf } from '../../options';
import { database, migrations } from '../../values';

export async function run(input: InputOf<'migrate adopt'>): Promise<number> {
  await adopt({ lockTimeoutMs: input.values['lock-timeout'], migrations: migrations(input), target: database(input), say, warn });
  return 0;
}

export async function baseline(input: InputOf<'migrate baseline'>): Promise<number> {
  await baselineDatabase({
    to: input.values.to,
    reason: input.values.reason,
    lockTimeoutMs: input.values['lock-timeout'],
    migrations: migrations(input),
    target: database(input),
    say,
    warn,
  });
  return 0;
}
