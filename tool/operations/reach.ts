/**
 * Connecting for the operations commands. They have no --wait option, so the connection error
 * is worded without the migrator's "pass --wait SECONDS" advice (otherwise the same translation).
 */
import type { Client } from 'pg';
import { UserError } from '../cli/errors';
import { connectTimeoutMs, disconnect, tryConnect, type DatabaseTarget } from '../db';
import { describeConnectionError } from '../db/errors';

export async function reach(target: DatabaseTarget): Promise<Client> {
  const timeoutMs = connectTimeoutMs();
  try {
    return await tryConnect(target, { timeoutMs });
  } catch (error) {
    throw new UserError(describeConnectionError(error, target, timeoutMs, true));
  }
}

/** Fails with the one-line message before a client tool would fail with its own, longer one. */
export async function checkReachable(target: DatabaseTarget): Promise<void> {
  await disconnect(await reach(target));
}
