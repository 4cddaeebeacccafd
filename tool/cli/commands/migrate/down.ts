/** `usualstore-db migrate down (--count N | --all)`: destructive, so it shows what goes and asks. */
import { UserError } from '../../../base/errors';
import { migrateDown } from '../../../migrator/down';
import { confirm } from '../../confirm';
import { say, warn } from '../../output';
import type { CommandInput } from '../../command';
import { database, flag, migrations, ms, numberOf } from '../../values';

export async function run(input: CommandInput): Promise<number> {
  const count = numberOf(input, 'count');
  // Reverting drops data: how much must be said explicitly, never defaulted.
  if (count !== undefined && flag(input, 'all')) throw new UserError('migrate down takes either --count N or --all, not both');
  if (count === undefined && !flag(input, 'all'))
    throw new UserError('migrate down needs --count N (revert the newest N) or --all (revert everything)');
  await migrateDown({
    count: count ?? 'all',
    lockTimeoutMs: ms(input, 'lock-timeout'),
    lockRetries: ms(input, 'lock-retries'),
    migrations: migrations(input),
    target: database(input),
    allowEdited: flag(input, 'allow-edited'),
    confirm: (question) => confirm(question, flag(input, 'yes')),
    say,
    warn,
  });
  return 0;
}
