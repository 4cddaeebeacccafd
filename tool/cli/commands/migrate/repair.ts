/** `usualstore-db migrate accept NAME...` and `migrate forget NAME...`: reviewed repairs. */
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../../migrator/lock';
import { acceptEdits, forgetMissing, type RepairOptions } from '../../../migrator/repair';
import { say, warn } from '../../output';
import type { CommandInput } from '../../command';
import { migrationsDir, seconds, stringValue, target } from '../../values';

function options(input: CommandInput): RepairOptions {
  const lockTimeoutMs = seconds(input, 'lock-timeout', DEFAULT_LOCK_TIMEOUT_MS);
  const dir = migrationsDir(input);
  return { names: input.positionals, reason: stringValue(input, 'reason'), lockTimeoutMs, migrationsDir: dir, target: target(input), say, warn };
}

export async function accept(input: CommandInput): Promise<number> {
  await acceptEdits(options(input));
  return 0;
}

export async function forget(input: CommandInput): Promise<number> {
  await forgetMissing(options(input));
  return 0;
}
