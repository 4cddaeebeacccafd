/**
 * The migration lock, taken at transaction level by plan and adopt: it excludes `migrate up`
 * (same lock id, node-pg-migrate's) and is released by COMMIT or ROLLBACK, so nothing can be left
 * locked when the command ends, however it ends. lock_timeout (SET LOCAL: this transaction only)
 * bounds this wait and every later one in the transaction.
 */
import type { Client } from 'pg';
import { UserError } from '../cli/errors';
import { formatSeconds } from '../db/errors';
import { MIGRATION_LOCK_ID } from '../migrator/lock';

/** Call right after BEGIN. */
export async function lockForTransaction(client: Client, timeoutMs: number, where: string): Promise<void> {
  await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
  try {
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') {
      throw new UserError(`a migration run on ${where} held the migration lock for more than ${formatSeconds(timeoutMs)}; retry when it is done (or raise --lock-timeout)`);
    }
    throw error;
  }
}
