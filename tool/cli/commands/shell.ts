/** `usualstore-db shell [-- PSQL_ARGS...]`: psql into the database; exits with psql's status. */
import { routeTo } from '../../operations/route';
import { openShell } from '../../operations/shell';
import type { InputOf } from '../options';
import { database } from '../values';

export async function run(input: InputOf<'shell'>): Promise<number> {
  return openShell(routeTo(database(input)), input.passThrough);
}
