/**
 * How the migrator commands reach the server: at once (an unreachable server is an immediate
 * error), or, with --wait, retrying until it is ready.
 */
import type { Client } from 'pg';
import { connect, waitForServer, type DatabaseTarget } from '../db';

/**
 * `wait` is the --wait option of a command that has one (only `migrate up`): `{ ms: undefined }`
 * means not given, and then a connection error suggests it. Commands without --wait pass nothing.
 */
export async function open(target: DatabaseTarget, wait?: { ms: number | undefined }): Promise<Client> {
  if (wait?.ms !== undefined) return waitForServer(target, { timeoutMs: wait.ms });
  return connect(target, { suggestWait: wait !== undefined });
}
