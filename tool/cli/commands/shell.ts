/** `usualstore-db shell [-- PSQL_ARGS...]`: psql into the database; exits with psql's status. */
import { resolveRoute } from '../../operations/resolve-route';
import { openShell } from '../../operations/shell';
import { DATABASE_URL_OPTION, parseOptions } from '../options';

export async function shell(args: string[]): Promise<number> {
  // Everything after `--` goes to psql untouched (e.g. -- -c 'select 1').
  const split = args.indexOf('--');
  const own = split < 0 ? args : args.slice(0, split);
  const psqlArgs = split < 0 ? [] : args.slice(split + 1);
  const { values } = parseOptions('shell', own, { ...DATABASE_URL_OPTION });
  return openShell(resolveRoute(values['database-url']), psqlArgs);
}
