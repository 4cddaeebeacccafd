/**
 * `status`: the seed's monitoring snippets (pg_isready, pg_stat_activity, database and table
 * sizes, `soda migrate status`) as one report. Read-only by construction: everything is read in
 * one READ ONLY transaction, no lock is taken and nothing is created.
 */
import type { Client } from 'pg';
import { UserError } from '../base/errors';
import { connect, disconnect, type DatabaseTarget } from '../db';
import { inspect } from '../migrator/inspect';
import { describeLockHolders, migrationLockHolders } from '../migrator/lock';
import type { MigrationState } from '../migrator/state';
import { unadoptedSodaVersions } from '../migrator/soda';
import { TABLE_SIZES_SQL } from './user-tables';
import { statusWarnings, type WarningFacts } from './status-warnings';

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

/** The target's URL without its password. */
export function passwordlessUrl(target: DatabaseTarget): string {
  const url = new URL(target.connectionString);
  url.password = '';
  return url.toString();
}

export function unreachableReport(target: DatabaseTarget, reason: string): StatusReport {
  return { url: passwordlessUrl(target), reachable: false, server_version: null, connections: null, database_size_bytes: null, tables: [], migrations: null, migration_lock: null, warnings: [`unreachable: ${reason}`] };
}

/** Runs an optional check; one that fails (permissions, say) becomes a warning, not an error. */
async function attempt<T>(client: Client, what: string, fn: () => Promise<T>, problems: string[]): Promise<T | undefined> {
  await client.query('SAVEPOINT status_check');
  try {
    const value = await fn();
    await client.query('RELEASE SAVEPOINT status_check');
    return value;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT status_check');
    problems.push(`could not check ${what}: ${(error as Error).message}`);
    return undefined;
  }
}

async function readFacts(client: Client, state: MigrationState, problems: string[]): Promise<Pick<WarningFacts, 'shippedHashUsers' | 'unadoptedSodaVersions'>> {
  const shippedHashUsers =
    (await attempt(
      client,
      'for the shipped admin password',
      async () => {
        if (!(await client.query<{ has: boolean }>(HAS_PASSWORD_COLUMN_SQL)).rows[0].has) return [];
        return (await client.query<{ id: string; email: string | null }>(SHIPPED_HASH_SQL, [SHIPPED_ADMIN_HASH])).rows;
      },
      problems,
    )) ?? [];
  return { shippedHashUsers, unadoptedSodaVersions: await unadoptedSodaVersions(client, state) };
}

export async function collectStatus(target: DatabaseTarget, migrationsDir: string): Promise<StatusReport> {
  let client: Client;
  try {
    client = await connect(target);
  } catch (error) {
    if (error instanceof UserError) return unreachableReport(target, error.message);
    throw error;
  }
  try {
    await client.query('BEGIN TRANSACTION READ ONLY');
    const server = (await client.query<{ server_version: string; max: number; used: number; size: string }>(SERVER_SQL)).rows[0];
    const tables = (await client.query<{ name: string; total_bytes: string }>(TABLE_SIZES_SQL)).rows.map((t) => ({ name: t.name, total_bytes: Number(t.total_bytes) }));
    const state = await inspect(client, migrationsDir);
    const problems: string[] = [];
    const facts = await readFacts(client, state, problems);
    const holders = (await attempt(client, 'the migration lock', () => migrationLockHolders(client), problems)) ?? [];
    await client.query('COMMIT');
    const connections = { used: server.used, max: server.max };
    const migrations = { applied: state.applied.map((m) => m.name), pending: state.pending.map((m) => m.name), edited: state.edited };
    return {
      url: passwordlessUrl(target),
      reachable: true,
      server_version: server.server_version,
      connections,
      database_size_bytes: Number(server.size),
      tables,
      migrations,
      migration_lock: holders.length === 0 ? null : {
        pid: holders[0].pid,
        application: holders[0].application,
        user: holders[0].user,
        since: holders[0].since?.toISOString() ?? null,
        description: describeLockHolders(holders),
      },
      warnings: [...statusWarnings({ ...facts, connections, migrations, missing: state.missing }), ...problems],
    };
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`status of ${target.label} failed: ${(error as Error).message}`);
  } finally {
    await disconnect(client);
  }
}
