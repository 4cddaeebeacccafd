/**
 * How the migrator commands reach the server: at once (an unreachable server is an immediate
 * error), or, with --wait, retrying until it is ready.
 */
import type { Client } from 'pg';
import { UserError } from '../base/errors';
import { connect, disconnect, waitForServer, type DatabaseTarget } from '../db';
import { describeServerRefusal } from '../db/errors';
import type { Say } from '../base/text';

/**
 * `wait` is the --wait option of a command that has one (only `migrate up`): `{ ms: undefined }`
 * means not given, and then a connection error suggests it. Commands without --wait pass nothing.
 */
async function open(target: DatabaseTarget, wait?: { ms: number | undefined; warn?: Say }): Promise<Client> {
  if (wait?.ms !== undefined) return waitForServer(target, { timeoutMs: wait.ms, onWait: wait.warn });
  return connect(target, { suggestWait: wait !== undefined });
}

/** Opens a session, runs `work` on it and closes it. A refusal by the server that escapes `work`
 * (a read-only server, a missing privilege, a lost connection) becomes one line naming the target. */
export async function withSession<T>(target: DatabaseTarget, wait: { ms: number | undefined; warn?: Say } | undefined, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await open(target, wait);
  try {
    return await work(client);
  } catch (error) {
    const refusal = error instanceof UserError ? undefined : describeServerRefusal(error, target.label);
    throw refusal ? new UserError(refusal) : error;
  } finally {
    await disconnect(client);
  }
}
