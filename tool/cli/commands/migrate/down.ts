/** `usualstore-db migrate down (--count N | --to VERSION | --all)`: destructive, so it shows what goes and asks. */
import { UserError } from '../../../base/errors';
import { migrateDown } from '../../../migrator/run/down';
import { confirm } from '../../confirm';
import { say, warn } from '../../output';
import type { InputOf } from '../../options';
import { database, migrations } from '../../values';

export async function run(input: InputOf<'migrate down'>): Promise<number> {
  const count = input.values.count;
  const to = input.values.to;
  // Reverting drops data: how much must be said explicitly, never defaulted.
  const given = [count !== undefined, to !== undefined, input.values.all].filter(Boolean).length;
  if (given > 1) throw new UserError('migrate down takes one of --count N, --to VERSION or --all');
  if (given === 0)
    throw new UserError(
      'migrate down needs --count N (revert the newest N), --to VERSION (revert those after it) or --all (revert everything)',
    );
  await migrateDown({
    count: to !== undefined ? { to } : (count ?? 'all'),
    lockTimeoutMs: input.values['lock-timeout'],
    lockRetries: input.values['lock-retries'],
    migrations: migrations(input),
    target: database(input),
    allowEdited: input.values['allow-edited'],
    confirm: (question) => confirm(question, input.values.yes),
    say,
    warn,
  });
  return 0;
}
