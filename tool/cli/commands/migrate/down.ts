/** `usualstore-db migrate down (--count N | --all)`: destructive, so it shows what goes and asks. */
import { UserError } from '../../../base/errors';
import { migrateDown } from '../../../migrator/down';
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../../migrator/lock';
import { confirm } from '../../confirm';
import { say, warn } from '../../output';
import type { CommandInput } from '../../command';
import { count, flag, migrationsDir, seconds, stringValue, target } from '../../values';

export async function run(input: CommandInput): Promise<number> {
  const countValue = stringValue(input, 'count');
  // Reverting drops data: how much must be said explicitly, never defaulted.
  if (countValue !== undefined && flag(input, 'all')) throw new UserError('migrate down takes either --count N or --all, not both');
  if (countValue === undefined && !flag(input, 'all')) throw new UserError('migrate down needs --count N (revert the newest N) or --all (revert everything)');
  const howMany = countValue === undefined ? 'all' : count(countValue, 'count');
  const lockTimeoutMs = seconds(input, 'lock-timeout', DEFAULT_LOCK_TIMEOUT_MS);
  const dir = migrationsDir(input);
  await migrateDown({
    count: howMany,
    lockTimeoutMs,
    migrationsDir: dir,
    target: target(input),
    allowEdited: flag(input, 'allow-edited'),
    confirm: (question) => confirm(question, flag(input, 'yes')),
    say,
    warn,
  });
  return 0;
}
