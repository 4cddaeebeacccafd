/** `usualstore-db migrate down (--count N | --all) [--migrations-dir DIR] [--lock-timeout SECONDS] [--allow-edited]` */
import { resolveTarget } from '../../db/target';
import { migrateDown as runDown } from '../../migrator/down';
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../migrator/lock';
import { UserError } from '../../base/errors';
import { DATABASE_URL_OPTION, MIGRATIONS_DIR_OPTION, migrationsDirFrom, parseCount, parseOptions, parseSeconds } from '../options';
import { say, warn } from '../output';

export async function migrateDown(args: string[]): Promise<number> {
  const { values } = parseOptions('migrate down', args, {
    ...DATABASE_URL_OPTION,
    ...MIGRATIONS_DIR_OPTION,
    count: { type: 'string' },
    all: { type: 'boolean' },
    'lock-timeout': { type: 'string' },
    'allow-edited': { type: 'boolean' },
  });
  // Reverting drops data: how much must be said explicitly, never defaulted.
  if (values.count !== undefined && values.all) throw new UserError('migrate down takes either --count N or --all, not both');
  if (values.count === undefined && !values.all) throw new UserError('migrate down needs --count N (revert the newest N) or --all (revert everything)');
  await runDown({
    count: values.all ? 'all' : parseCount(values.count!, '--count'),
    lockTimeoutMs: parseSeconds(values['lock-timeout'], '--lock-timeout', DEFAULT_LOCK_TIMEOUT_MS)!,
    migrationsDir: migrationsDirFrom(values['migrations-dir']),
    target: resolveTarget({ databaseUrl: values['database-url'] }),
    allowEdited: values['allow-edited'] ?? false,
    say,
    warn,
  });
  return 0;
}
