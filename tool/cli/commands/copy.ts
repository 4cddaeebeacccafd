/** `usualstore-db copy --to URL`: this database into an empty one (production), checked. */
import { UserError } from '../../base/errors';
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../migrator/lock';
import { copyDatabase } from '../../operations/copy';
import { resolveRoute } from '../../operations/route';
import type { CommandInput } from '../command';
import { say } from '../output';
import { seconds, stringValue } from '../values';

export async function run(input: CommandInput): Promise<number> {
  const lockTimeoutMs = seconds(input, 'lock-timeout', DEFAULT_LOCK_TIMEOUT_MS);
  const toUrl = stringValue(input, 'to');
  if (toUrl === undefined || toUrl.trim() === '') throw new UserError('copy needs --to URL: the database to copy into (it must have no tables)');
  const to = resolveRoute(toUrl, {});
  await copyDatabase({ from: resolveRoute(stringValue(input, 'database-url')), to, lockTimeoutMs, say });
  return 0;
}
