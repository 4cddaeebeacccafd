/**
 * How the migrator commands reach the server: at once (an unreachable server is an immediate
 * error), or, with --wait, retrying until it is ready.
 */
import type { Client } from 'pg';
import { connect, waitForServer, type DatabaseTarget } from '../db';

export async function open(target: DatabaseTarget, waitMs?: number): Promise<Client> {
  return waitMs === undefined ? connect(target) : waitForServer(target, { timeoutMs: waitMs });
}
