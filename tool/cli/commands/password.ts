/** `usualstore-db password sync`: run by the database stack once it has created the container. */
import { loadConfig } from '../../../config/database';
import { syncServerPassword } from '../../deploy/password-sync';
import { say, warn } from '../output';
import type { CommandInput } from '../command';
import { database, ms } from '../values';

export async function sync(input: CommandInput): Promise<number> {
  await syncServerPassword(database(input), { config: loadConfig(), env: process.env, waitMs: ms(input, 'wait'), say, sayWait: warn });
  return 0;
}
