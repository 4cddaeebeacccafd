/** `usualstore-db migrate accept NAME...` and `migrate forget NAME...`: reviewed repairs. */
import { acceptEdits, forgetMissing, type RepairOptions } from '../../../migrator/takeover/repair';
import { say, warn } from '../../output';
import type { InputOf } from '../../options';
import { database, migrations } from '../../values';

function options(input: InputOf<'migrate accept'> | InputOf<'migrate forget'>): RepairOptions {
  return {
    names: input.positionals,
    reason: input.values.reason,
    lockTimeoutMs: input.values['lock-timeout'],
    migrations: migrations(input),
    target: database(input),
    say,
    warn,
  };
}

export async function accept(input: InputOf<'migrate accept'>): Promise<number> {
  await acceptEdits(options(input));
  return 0;
}

export async function forget(input: InputOf<'migrate forget'>): Promise<number> {
  await forgetMissing(options(input));
  return 0;
}
