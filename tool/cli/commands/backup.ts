/** `usualstore-db backup FILE [--force]`: pg_dump custom format, via the container when it runs. */
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../migrator/lock';
import { backup } from '../../operations/backup';
import { resolveRoute } from '../../operations/route';
import { say, warn } from '../output';
import type { CommandInput } from '../command';
import { flag, seconds, stringValue } from '../values';

export async function run(input: CommandInput): Promise<number> {
  const lockTimeoutMs = seconds(input, 'lock-timeout', DEFAULT_LOCK_TIMEOUT_MS);
  const file = input.positionals[0];
  // With FILE "-" stdout is the archive: the report goes to stderr.
  await backup({ route: resolveRoute(stringValue(input, 'database-url')), file, force: flag(input, 'force'), lockTimeoutMs, say: file === '-' ? warn : say });
  return 0;
}
