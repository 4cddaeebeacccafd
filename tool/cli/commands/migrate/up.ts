/** `usualstore-db migrate up`: what the deploy runs. */
import { migrateUp } from '../../../migrator/run/up';
import { say, warn } from '../../output';
import type { CommandInput } from '../../command';
import { database, flag, migrations, ms, numberOf, text } from '../../values';

export async function run(input: CommandInput): Promise<number> {
  await migrateUp({
    waitMs: numberOf(input, 'wait'),
    lockTimeoutMs: ms(input, 'lock-timeout'),
    lockRetries: ms(input, 'lock-retries'),
    indexWaitMs: ms(input, 'index-wait'),
    to: text(input, 'to'),
    migrations: migrations(input),
    target: database(input),
    allowEdited: flag(input, 'allow-edited'),
    say,
    warn,
  });
  return 0;
}
