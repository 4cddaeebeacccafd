/** `usualstore-db restore FILE [--force] [--lock-timeout SECONDS]`: pg_restore of a backup, in one transaction. */
import { resolveRoute } from '../../operations/resolve-route';
import { restore as runRestore } from '../../operations/restore';
import { UserError } from '../../base/errors';
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../migrator/lock';
import { DATABASE_URL_OPTION, parseOptions, parseSeconds } from '../options';
import { say } from '../output';

export async function restore(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions('restore', args, { ...DATABASE_URL_OPTION, force: { type: 'boolean' }, 'lock-timeout': { type: 'string' } }, 1);
  if (positionals.length === 0 || positionals[0].trim() === '') throw new UserError('restore needs the FILE of a backup, e.g. restore usualstore.dump');
  await runRestore({
    route: resolveRoute(values['database-url']),
    file: positionals[0],
    force: values.force ?? false,
    lockTimeoutMs: parseSeconds(values['lock-timeout'], '--lock-timeout', DEFAULT_LOCK_TIMEOUT_MS)!,
    say,
  });
  return 0;
}
