/** `usualstore-db reset` and `usualstore-db seed`: a development database made anew, or seeded. */
import { reset as resetDatabase, seed as seedDatabase } from '../../migrator/run/reset';
import { defaultSeedsDir } from '../../migrator/run/seeds';
import { confirm } from '../confirm';
import { say, warn } from '../output';
import type { InputOf } from '../options';
import { database, migrations } from '../values';

function options(input: InputOf<'reset'> | InputOf<'seed'>) {
  return {
    target: database(input),
    migrations: migrations(input),
    seedsDir: input.values['seeds-dir'] ?? defaultSeedsDir(),
    confirmDatabase: input.values['confirm-database'],
    lockTimeoutMs: input.values['lock-timeout'],
    say,
    warn,
  };
}

export async function reset(input: InputOf<'reset'>): Promise<number> {
  await resetDatabase({ ...options(input), confirm: (question) => confirm(question, input.values.yes) });
  return 0;
}

export async function seed(input: InputOf<'seed'>): Promise<number> {
  await seedDatabase(options(input));
  return 0;
}
