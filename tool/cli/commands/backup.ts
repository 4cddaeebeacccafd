/** `usualstore-db backup FILE [--force] [--table NAME] [--verify]`: pg_dump custom format, via the container when it runs. */
import { backup } from '../../operations/backup';
import { routeTo } from '../../operations/route';
import { say, warn } from '../output';
import type { CommandInput } from '../command';
import { database, flag, ms, text } from '../values';

export async function run(input: CommandInput): Promise<number> {
  const file = input.positionals[0];
  // With FILE "-" stdout is the archive: the report goes to stderr.
  const target = database(input);
  await backup({
    route: routeTo(target),
    target,
    table: text(input, 'table'),
    verify: flag(input, 'verify'),
    file,
    force: flag(input, 'force'),
    lockTimeoutMs: ms(input, 'lock-timeout'),
    say: file === '-' ? warn : say,
  });
  return 0;
}
