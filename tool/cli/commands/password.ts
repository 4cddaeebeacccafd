/** `usualstore-db password sync`: run by the database stack once it has created the container. */
import { loadConfig } from '../../../config/database';
import { syncServerPassword } from '../../deploy/password-sync';
import { say, warn } from '../output';
import type { InputOf } from '../options';
import { database } from '../values';

export async function sync(input: InputOf<'password sync'>): Promise<number> {
  await syncServerPassword(database(input), { config: loadConfig(), env: process.env, waitMs: input.values.wait, say, sayWait: warn });
  return 0;
}
