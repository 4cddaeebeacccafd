/** `usualstore-db migrate adopt`: take over a soda-migrated database. */
import { adopt } from '../../../migrator/adopt';
import { say, warn } from '../../output';
import type { CommandInput } from '../../command';
import { database, migrations, ms } from '../../values';

export async function run(input: CommandInput): Promise<number> {
  await adopt({ lockTimeoutMs: ms(input, 'lock-timeout'), migrations: migrations(input), target: database(input), say, warn });
  return 0;
}
