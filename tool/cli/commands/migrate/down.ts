/** `usualstore-db migrate down (--count N | --to VERSION | --all)`: destructive, so it shows what goes and asks. */
import { UserError } from '../../../base/errors';
import { migrateDown } from '../../../migrator/run/down';
import { confirm } from '../../confirm';
import { say, warn } from '../../output';
import type { CommandInput } from '../../command';
import { database, flag, migrations, ms, numberOf, text } from '../../values';

export async function run(input: CommandInput): Promise<number> {
  const count = numberOf(input, 'count');
  const to = text(input, 'to');
  // Reverting drops data: how much must be said explicitly, never defaulted.
  const given = [count !== undefined, to !== undefined, flag(input, 'all')].filter(Boolean).length;
  if (given > 1) throw new UserError('migrate down takes one of --count N, --to VERSION or --all');
  if (given === 0)
    throw new UserError(
      'migrate down needs --count N (revert the newest N), --to VERSION (revert those after it) or --all (revert everything)',
    );
  await migrateDown({
    count: to !== undefined ? { to } : (count ?? 'all'),
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
