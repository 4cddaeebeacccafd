/** `usualstore-db backup FILE [--force] [--lock-timeout SECONDS]`: pg_dump custom format, via the container when it runs. */
import { backup as runBackup } from '../../operations/backup';
import { resolveRoute } from '../../operations/resolve-route';
import { UserError } from '../../base/errors';
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../migrator/lock';
import { DATABASE_URL_OPTION, parseOptions, parseSeconds } from '../options';
import { say } from '../output';

export async function backup(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions('backup', args, { ...DATABASE_URL_OPTION, force: { type: 'boolean' }, 'lock-timeout': { type: 'string' } }, 1);
  if (positionals.length === 0 || positionals[0].trim() === '') throw new UserError('backup needs a FILE to write, e.g. backup usualstore.dump');
  await runBackup({
    route: resolveRoute(values['database-url']),
    file: positionals[0],
    force: values.force ?? false,
    lockTimeoutMs: parseSeconds(values['lock-timeout'], '--lock-timeout', DEFAULT_LOCK_TIMEOUT_MS)!,
    say,
  });
  return 0;
}
