/**
 * Connecting for the operations commands: tool/db's connect(), whose errors carry no "--wait"
 * advice unless the command has that option (these do not).
 */
import type { Client } from 'pg';
import { connect, disconnect, type DatabaseTarget } from '../db';

export async function reach(target: DatabaseTarget): Promise<Client> {
  return connect(target);
}

/** Fails with the one-line message before a client tool would fail with its own, longer one. */
export async function checkReachable(target: DatabaseTarget): Promise<void> {
  await disconnect(await reach(target));
}
