/** `usualstore-db copy --to URL`: this database into an empty one (production), checked. */
import { UserError } from '../../base/errors';
import { resolveDatabase } from '../../db';
import { copyDatabase } from '../../operations/copy';
import { routeTo } from '../../operations/route';
import type { InputOf } from '../options';
import { say } from '../output';
import { database } from '../values';

export async function run(input: InputOf<'copy'>): Promise<number> {
  const toUrl = input.values.to;
  if (toUrl === undefined || toUrl.trim() === '')
    throw new UserError('copy needs --to URL: the database to copy into (it must have no tables)');
  // The target through the same resolver as every database (its password: the URL, PGPASSWORD, ...).
  const to = resolveDatabase({ url: toUrl, option: '--to', fallback: 'none' })!;
  const source = database(input);
  await copyDatabase({ source, from: routeTo(source), to: routeTo(to), lockTimeoutMs: input.values['lock-timeout'], say });
  return 0;
}
