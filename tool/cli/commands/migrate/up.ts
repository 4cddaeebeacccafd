/** `usualstore-db migrate up`: what the deploy runs. */
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../../migrator/lock';
import { migrateUp } from '../../../migrator/up';
import { say, warn } from '../../output';
import type { CommandInput } from '../../command';
import { flag, migrationsDir, seconds, target } from '../../values';

export async function run(input: CommandInput): Promise<number> {
  // Option values are checked before the connection, so a typo is reported as such.
  const waitMs = seconds(input, 'wait');
  const lockTimeoutMs = seconds(input, 'lock-timeout', DEFAULT_LOCK_TIMEOUT_MS);
  const dir = migrationsDir(input);
  await migrateUp({ waitMs, lockTimeoutMs, migrationsDir: dir, target: target(input), allowEdited: flag(input, 'allow-edited'), say, warn });
  return 0;
}
