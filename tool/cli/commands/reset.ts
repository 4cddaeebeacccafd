/** `usualstore-db reset` and `usualstore-db seed`: a development database made anew, or seeded. */
import { reset as resetDatabase, seed as seedDatabase } from '../../migrator/run/reset';
import { defaultSeedsDir } from '../../migrator/run/seeds';
import { confirm } from '../confirm';
import { say, warn } from '../output';
import type { CommandInput } from '../command';
import { database, flag, migrations, ms, text } from '../values';

function options(input: CommandInput) {
  return {
    target: database(input),
    migrations: migrations(input),
    seedsDir: text(input, 'seeds-dir') ?? defaultSeedsDir(),
    confirmDatabase: text(input, 'confirm-database'),
    lockTimeoutMs: ms(input, 'lock-timeout'),
    say,
    warn,
  };
}

export async function reset(input: CommandInput): Promise<number> {
  await resetDatabase({ ...options(input), confirm: (question) => confirm(question, flag(input, 'yes')) });
  return 0;
}

export async function seed(input: CommandInput): Promise<number> {
  await seedDatabase(options(input));
  return 0;
}
