/** `usualstore-db migrate accept NAME...` and `migrate forget NAME...`: reviewed repairs. */
import { acceptEdits, forgetMissing, type RepairOptions } from '../../../migrator/takeover/repair';
import { say, warn } from '../../output';
import type { CommandInput } from '../../command';
import { database, migrations, ms, text } from '../../values';

function options(input: CommandInput): RepairOptions {
  return {
    names: input.positionals,
    reason: text(input, 'reason')!,
    lockTimeoutMs: ms(input, 'lock-timeout'),
    migrations: migrations(input),
    target: database(input),
    say,
    warn,
  };
}

export async function accept(input: CommandInput): Promise<number> {
  await acceptEdits(options(input));
  return 0;
}

export async function forget(input: CommandInput): Promise<number> {
  await forgetMissing(options(input));
  return 0;
}
