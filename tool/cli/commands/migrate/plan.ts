/**
 * `usualstore-db migrate plan`: verified in place on a development database, on a schema-only copy
 * of a live one (operations/rehearsal/plan-on-copy.ts). Exit 0: nothing pending; 2: something pending (and it all runs);
 * 1: an error, including a pending migration that fails. CI and pull-request checks branch on these.
 */
import { verifyPending } from '../../../operations/rehearsal/plan-on-copy';
import { say, warn } from '../../output';
import type { InputOf } from '../../options';
import { database, migrations } from '../../values';

export const EXIT_PENDING = 2;

export async function run(input: InputOf<'migrate plan'>): Promise<number> {
  const { pending } = await verifyPending({
    lockTimeoutMs: input.values['lock-timeout'],
    migrations: migrations(input),
    target: database(input),
    allowEdited: input.values['allow-edited'],
    printOnly: input.values['print-only'],
    live: input.values.live,
    say,
    warn,
  });
  return pending.length > 0 ? EXIT_PENDING : 0;
}
