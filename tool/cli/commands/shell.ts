/** `usualstore-db shell [-- PSQL_ARGS...]`: psql into the database; exits with psql's status. */
import { resolveRoute } from '../../operations/route';
import { openShell } from '../../operations/shell';
import type { CommandInput } from '../command';
import { stringValue } from '../values';

export async function run(input: CommandInput): Promise<number> {
  return openShell(resolveRoute(stringValue(input, 'database-url')), input.passThrough);
}
