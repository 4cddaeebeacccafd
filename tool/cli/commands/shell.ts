/** `usualstore-db shell [-- PSQL_ARGS...]`: psql into the database; exits with psql's status. */
import { routeTo } from '../../operations/route';
import { openShell } from '../../operations/shell';
import type { CommandInput } from '../command';
import { database } from '../values';

export async function run(input: CommandInput): Promise<number> {
  return openShell(routeTo(database(input)), input.passThrough);
}
