/** `usualstore-db migrate adopt [--migrations-dir DIR] [--lock-timeout SECONDS]`: take over a soda-migrated database. */
import { resolveTarget } from '../../db/target';
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../migrator/lock';
import { adopt } from '../../operations/adopt';
import { DATABASE_URL_OPTION, MIGRATIONS_DIR_OPTION, migrationsDirFrom, parseOptions, parseSeconds } from '../options';
import { say, warn } from '../output';

export async function migrateAdopt(args: string[]): Promise<number> {
  const { values } = parseOptions('migrate adopt', args, { ...DATABASE_URL_OPTION, ...MIGRATIONS_DIR_OPTION, 'lock-timeout': { type: 'string' } });
  await adopt({
    lockTimeoutMs: parseSeconds(values['lock-timeout'], '--lock-timeout', DEFAULT_LOCK_TIMEOUT_MS)!,
    migrationsDir: migrationsDirFrom(values['migrations-dir']),
    target: resolveTarget({ databaseUrl: values['database-url'] }),
    say,
    warn,
  });
  return 0;
}
