/** `usualstore-db restore FILE|- [--force] [--create]`: a backup (gzip or not), in one transaction. */
import { routeTo } from '../../operations/route';
import { restore } from '../../operations/restore';
import { confirm } from '../confirm';
import { say } from '../output';
import type { InputOf } from '../options';
import { database } from '../values';

export async function run(input: InputOf<'restore'>): Promise<number> {
  await restore({
    route: routeTo(database(input)),
    file: input.positionals[0],
    force: input.values.force,
    create: input.values.create,
    lockTimeoutMs: input.values['lock-timeout'],
    confirm: (question) => confirm(question, input.values.yes),
    say,
  });
  return 0;
}
