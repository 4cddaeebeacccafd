/** `usualstore-db backup FILE [--force]`: pg_dump custom format, via the container when it runs. */
import { backup as runBackup } from '../../operations/backup';
import { resolveRoute } from '../../operations/resolve-route';
import { UserError } from '../errors';
import { DATABASE_URL_OPTION, parseOptions } from '../options';
import { say } from '../output';

export async function backup(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions('backup', args, { ...DATABASE_URL_OPTION, force: { type: 'boolean' } }, 1);
  if (positionals.length === 0 || positionals[0].trim() === '') throw new UserError('backup needs a FILE to write, e.g. backup usualstore.dump');
  await runBackup({
    route: resolveRoute(values['database-url']),
    file: positionals[0],
    force: values.force ?? false,
    say,
  });
  return 0;
}
