/**
 * `usualstore-db migrate plan`: verified in place on a development database, on a schema-only copy
 * of a live one (operations/rehearsal/plan-on-copy.ts). Exit 0: nothing pending; 2: something pending (and it all runs);
 * 1: an error, including a pending migration that fails. CI and pull-request checks branch on these.
 */
import { verifyPending } from '../../../operations/rehearsal/plan-on-copy';
import { say, warn } from '../../output';
import type { CommandInput } from '../../command';
import { database, flag, migrations, ms } from '../../values';

export const EXIT_PENDING = 2;

export async function run(input: CommandInput): Promise<number> {
  const { pending } = await verifyPending({
    lockTimeoutMs: ms(input, 'lock-timeout'),
    migrations: migrations(input),
    target: database(input),
    allowEdited: flag(input, 'allow-edited'),
    printOnly: flag(input, 'print-only'),
    live: flag(input, 'live'),
    say,
    warn,
  });
  return pending.length > 0 ? EXIT_PENDING : 0;
}
