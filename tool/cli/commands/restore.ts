/** `usualstore-db restore FILE [--force]`: a backup, in one transaction. */
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../migrator/lock';
import { resolveRoute } from '../../operations/route';
import { restore } from '../../operations/restore';
import { confirm } from '../confirm';
import { say } from '../output';
import type { CommandInput } from '../command';
import { flag, seconds, stringValue } from '../values';

export async function run(input: CommandInput): Promise<number> {
  const lockTimeoutMs = seconds(input, 'lock-timeout', DEFAULT_LOCK_TIMEOUT_MS);
  await restore({
    route: resolveRoute(stringValue(input, 'database-url')),
    file: input.positionals[0],
    force: flag(input, 'force'),
    lockTimeoutMs,
    confirm: (question) => confirm(question, flag(input, 'yes')),
    say,
  });
  return 0;
}
