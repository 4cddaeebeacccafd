/** `usualstore-db migrate up`: what the deploy runs. */
import { migrateUp } from '../../../migrator/run/up';
import { say, warn } from '../../output';
import type { InputOf } from '../../options';
import { database, migrations } from '../../values';

export async function run(input: InputOf<'migrate up'>): Promise<number> {
  await migrateUp({
    waitMs: input.values.wait,
    lockTimeoutMs: input.values['lock-timeout'],
    lockRetries: input.values['lock-retries'],
    indexWaitMs: input.values['index-wait'],
    to: input.values.to,
    migrations: migrations(input),
    target: database(input),
    allowEdited: input.values['allow-edited'],
    say,
    warn,
  });
  return 0;
}
