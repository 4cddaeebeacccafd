/** `usualstore-db migrate adopt`: take over a soda-migrated database. */
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../../migrator/lock';
import { adopt } from '../../../migrator/adopt';
import { say, warn } from '../../output';
import type { CommandInput } from '../../command';
import { migrationsDir, seconds, target } from '../../values';

export async function run(input: CommandInput): Promise<number> {
  const lockTimeoutMs = seconds(input, 'lock-timeout', DEFAULT_LOCK_TIMEOUT_MS);
  const dir = migrationsDir(input);
  await adopt({ lockTimeoutMs, migrationsDir: dir, target: target(input), say, warn });
  return 0;
}
