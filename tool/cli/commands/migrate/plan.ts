/**
 * `usualstore-db migrate plan`. Exit 0: nothing pending; 2: something pending (and it all runs);
 * 1: an error, including a pending migration that fails. CI and pull-request checks branch on these.
 */
import { planMigrations } from '../../../migrator/verify/plan';
import { say, warn } from '../../output';
import type { CommandInput } from '../../command';
import { database, flag, migrations, ms } from '../../values';

export const EXIT_PENDING = 2;

export async function run(input: CommandInput): Promise<number> {
  const { pending } = await planMigrations({
    lockTimeoutMs: ms(input, 'lock-timeout'),
    migrations: migrations(input),
    target: database(input),
    allowEdited: flag(input, 'allow-edited'),
    printOnly: flag(input, 'print-only'),
    say,
    warn,
  });
  return pending.length > 0 ? EXIT_PENDING : 0;
}
