/**
 * Checking that the server answers before handing the work to a client tool (pg_dump, psql),
 * so an unreachable server gets the same one-line message as every other command rather than
 * the tool's own, longer one.
 */
import { connect, disconnect, type DatabaseTarget } from '../db';

export async function checkReachable(target: DatabaseTarget): Promise<void> {
  await disconnect(await connect(target));
}
