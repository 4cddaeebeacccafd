/**
 * One read-only question to the database along a route, answered as text: through the pg driver
 * when local (so an unreachable server gets the same one-line message as every other command),
 * through psql inside the container otherwise.
 */
import { UserError } from '../base/errors';
import { describeQueryError } from '../db/errors';
import { withSession } from '../db/session';
import { invocation, runTool, toolErrorLine } from './client-tools';
import type { ClientRoute } from './route';

export async function queryValue(route: ClientRoute, sql: string): Promise<string> {
  if (route.kind === 'local') {
    return withSession(route.target, {}, async (client) => {
      try {
        const { rows } = await client.query<{ value: unknown }>(sql);
        return String(rows[0]?.value ?? '');
      } catch (error) {
        throw new UserError(`query on ${route.label} failed: ${describeQueryError(error, sql)}`);
      }
    });
  }
  const result = await runTool(invocation(route, 'psql', ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql]));
  if (result.code !== 0) throw new UserError(`psql in ${route.container} failed: ${toolErrorLine('psql', result.stderr)}`);
  return result.stdout.trim();
}
