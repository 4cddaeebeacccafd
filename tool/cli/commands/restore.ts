/** `usualstore-db restore FILE|- [--force] [--create]`: a backup (gzip or not), in one transaction. */
import { routeTo } from '../../operations/route';
import { restore } from '../../operations/restore';
import { confirm } from '../confirm';
import { say } from '../output';
import type { CommandInput } from '../command';
import { database, flag, ms } from '../values';

export async function run(input: CommandInput): Promise<number> {
  await restore({
    route: routeTo(database(input)),
    file: input.positionals[0],
    force: flag(input, 'force'),
    create: flag(input, 'create'),
    lockTimeoutMs: ms(input, 'lock-timeout'),
    confirm: (question) => confirm(question, flag(input, 'yes')),
    say,
  });
  return 0;
}
