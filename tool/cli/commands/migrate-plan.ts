/**
 * `usualstore-db migrate plan [--migrations-dir DIR] [--lock-timeout SECONDS] [--allow-edited]`
 * Exit 0: nothing pending; 2: something pending (and it all runs); 1: an error, including a
 * pending migration that fails. CI and pull-request checks branch on these.
 */
import { resolveTarget } from '../../db/target';
import { DEFAULT_PLAN_LOCK_TIMEOUT_MS, planMigrations } from '../../operations/plan';
import { DATABASE_URL_OPTION, MIGRATIONS_DIR_OPTION, migrationsDirFrom, parseOptions, parseSeconds } from '../options';
import { say, warn } from '../output';

export const EXIT_PENDING = 2;

export async function migratePlan(args: string[]): Promise<number> {
  const { values } = parseOptions('migrate plan', args, {
    ...DATABASE_URL_OPTION,
    ...MIGRATIONS_DIR_OPTION,
    'lock-timeout': { type: 'string' },
    'allow-edited': { type: 'boolean' },
  });
  const { pending } = await planMigrations({
    lockTimeoutMs: parseSeconds(values['lock-timeout'], '--lock-timeout', DEFAULT_PLAN_LOCK_TIMEOUT_MS)!,
    migrationsDir: migrationsDirFrom(values['migrations-dir']),
    target: resolveTarget({ databaseUrl: values['database-url'] }),
    allowEdited: values['allow-edited'] ?? false,
    say,
    warn,
  });
  return pending.length > 0 ? EXIT_PENDING : 0;
}
