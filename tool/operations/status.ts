/**
 * `status`: the seed's monitoring snippets (pg_isready, pg_stat_activity, database and table
 * sizes, `soda migrate status`) as one report. Read-only by construction: everything is read in
 * one READ ONLY transaction, no lock is taken and nothing is created.
 */
import type { Client } from 'pg';
import { UserError } from '../base/errors';
import { ConnectionError, passwordlessUrl, type DatabaseTarget } from '../db';
import type { MigrationsDirectory } from '../migrator/directory';
import { inspect } from '../migrator/history/state';
import { describeLockHolders, migrationLockHolders } from '../migrator/run/migration-lock';
import { judge } from '../migrator/history/policy';
import { inSavepoint, withSession } from '../db/session';
import { TABLE_SIZES_SQL } from '../db/user-tables';
import { statusWarnings } from './status-warnings';

/** The --json shape; the keys are a contract with scripts. applied/pending/edited are migration
 * NAMES (lists, oldest first), not counts: a count says that something is off, a name says what. */
export interface StatusReport {
  /** The target as a URL to copy, without the password. */
  url: string;
  reachable: boolean;
  server_version: string | null;
  connections: { used: number; max: number } | null;
  database_size_bytes: number | null;
  tables: { name: string; total_bytes: number }[];
  migrations: { applied: string[]; pending: string[]; edited: string[] } | null;
  /** Who holds the migration lock now (a run under way, or a session that keeps it). */
  migration_lock: { pid: number; application: string; user: string | null; since: string | null; description: string } | null;
  warnings: string[];
}

/** The bcrypt hash the original migrations ship for admin@example.com: public, so anyone can log in. */
export const SHIPPED_ADMIN_HASH = '$2a$12$VR1wDmweaF3ZTVgEHiJrNOSi8VcS4j0eamr96A/7iOe8vlum3O3/q';

const SERVER_SQL = `SELECT current_setting('server_version') AS server_version,
       current_setting('max_connections')::int AS max,
       (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS used,
       pg_database_size(current_database())::text AS size`;

/** Users holding the shipped hash, whatever their email is now (the row may have been renamed).
 * to_jsonb keeps the query valid if the email column is gone; the guard, if users or its
 * password column is. */
const SHIPPED_HASH_SQL = `SELECT to_jsonb(u)->>'id' AS id, to_jsonb(u)->>'email' AS email FROM public.users u WHERE u.password = $1 ORDER BY 1`;
const HAS_PASSWORD_COLUMN_SQL = `SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('public.users') AND attname = 'password' AND NOT attisdropped) AS has`;

export function unreachableReport(target: DatabaseTarget, reason: string): StatusReport {
  return {
    url: passwordlessUrl(target),
    reachable: false,
    server_version: null,
    connections: null,
    database_size_bytes: null,
    tables: [],
    migrations: null,
    migration_lock: null,
    warnings: [`unreachable: ${reason}`],
  };
}

/** Runs an optional check; one that fails (permissions, say) becomes a warning, not an error. */
async function attempt<T>(client: Client, what: string, fn: () => Promise<T>, problems: string[]): Promise<T | undefined> {
  try {
    return await inSavepoint(client, 'status_check', fn);
  } catch (error) {
    problems.push(`could not check ${what}: ${(error as Error).message}`);
    return undefined;
  }
}

async function shippedHashUsers(client: Client, problems: string[]): Promise<{ id: string; email: string | null }[]> {
  const users = await attempt(
    client,
    'for the shipped admin password',
    async () => {
      if (!(await client.query<{ has: boolean }>(HAS_PASSWORD_COLUMN_SQL)).rows[0].has) return [];
      return (await client.query<{ id: string; email: string | null }>(SHIPPED_HASH_SQL, [SHIPPED_ADMIN_HASH])).rows;
    },
    problems,
  );
  return users ?? [];
}

export async function collectStatus(target: DatabaseTarget, migrations: MigrationsDirectory): Promise<StatusReport> {
  try {
    return await withSession(target, { transaction: { readOnly: true } }, async (client) => {
      const server = (await client.query<{ server_version: string; max: number; used: number; size: string }>(SERVER_SQL)).rows[0];
      const tables = (await client.query<{ name: string; total_bytes: string }>(TABLE_SIZES_SQL)).rows.map((t) => ({
        name: t.name,
        total_bytes: Number(t.total_bytes),
      }));
      const state = await inspect(client, migrations);
      const problems: string[] = [];
      const users = await shippedHashUsers(client, problems);
      const holders = (await attempt(client, 'the migration lock', () => migrationLockHolders(client), problems)) ?? [];
      const connections = { used: server.used, max: server.max };
      const verdict = judge('up', state, { where: target.label, migrationsDir: migrations.path });
      return {
        url: passwordlessUrl(target),
        reachable: true,
        server_version: server.server_version,
        connections,
        database_size_bytes: Number(server.size),
        tables,
        migrations: { applied: state.applied.map((m) => m.name), pending: state.pending.map((m) => m.name), edited: state.edited },
        migration_lock:
          holders.length === 0
            ? null
            : {
                pid: holders[0].pid,
                application: holders[0].application,
                user: holders[0].user,
                since: holders[0].since?.toISOString() ?? null,
                description: describeLockHolders(holders),
              },
        warnings: [
          ...statusWarnings({
            shippedHashUsers: users,
            connections,
            pending: state.pending.map((m) => m.name),
            verdict,
            invalidIndexes: state.invalidIndexes,
          }),
          ...problems,
        ],
      };
    });
  } catch (error) {
    // Unreachable is a report (exit 1), not an error.
    if (error instanceof ConnectionError) return unreachableReport(target, error.message);
    if (error instanceof UserError) throw error;
    throw new UserError(`status of ${target.label} failed: ${(error as Error).message}`);
  }
}
