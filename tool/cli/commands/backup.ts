/** `usualstore-db backup FILE [--force] [--table NAME] [--verify]`: pg_dump custom format, via the container when it runs. */
import { backup } from '../../operations/backup';
import { routeTo } from '../../operations/route';
import { say, warn } from '../output';
import type { InputOf } from '../options';
import { database } from '../values';

export async function run(input: InputOf<'backup'>): Promise<number> {
  const file = input.positionals[0];
  // With FILE "-" stdout is the archive: the report goes to stderr.
  const target = database(input);
  await backup({
    route: routeTo(target),
    target,
    table: input.values.table,
    verify: input.values.verify,
    file,
    force: input.values.force,
    lockTimeoutMs: input.values['lock-timeout'],
    say: file === '-' ? warn : say,
  });
  return 0;
}
