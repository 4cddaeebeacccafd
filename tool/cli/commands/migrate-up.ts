/** `usualstore-db migrate up [--migrations-dir DIR] [--wait SECONDS] [--lock-timeout SECONDS] [--allow-edited]` */
import { resolveTarget } from '../../db/target';
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../migrator/lock';
import { migrateUp as runUp } from '../../migrator/up';
import { DATABASE_URL_OPTION, MIGRATIONS_DIR_OPTION, migrationsDirFrom, parseOptions, parseSeconds } from '../options';
import { say, warn } from '../output';

export async function migrateUp(args: string[]): Promise<number> {
  const { values } = parseOptions('migrate up', args, {
    ...DATABASE_URL_OPTION,
    ...MIGRATIONS_DIR_OPTION,
    wait: { type: 'string' },
    'lock-timeout': { type: 'string' },
    'allow-edited': { type: 'boolean' },
  });
  // Option values are checked before the connection URL, so a typo is reported as such.
  await runUp({
    waitMs: parseSeconds(values.wait, '--wait'),
    lockTimeoutMs: parseSeconds(values['lock-timeout'], '--lock-timeout', DEFAULT_LOCK_TIMEOUT_MS)!,
    migrationsDir: migrationsDirFrom(values['migrations-dir']),
    target: resolveTarget({ databaseUrl: values['database-url'] }),
    allowEdited: values['allow-edited'] ?? false,
    say,
    warn,
  });
  return 0;
}
