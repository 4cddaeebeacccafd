/**
 * Who holds a lock: the sessions that block a waiting one (pg_blocking_pids), or that hold an
 * advisory lock, and what they are, in the one form every message names them in (lock-wait.ts
 * says them while a command waits and when its bound runs out). As far as the role may see:
 * without pg_read_all_stats another user's query text reads "<insufficient privilege>".
 */
import type { Client } from 'pg';
import { oneLine } from '../base/text';

export interface Blocker {
  pid: number;
  application: string;
  user: string | null;
  state: string | null;
  /** When its transaction (or, outside one, its session) began. */
  since: Date | null;
  query: string | null;
}

/** A Blocker's columns, from pg_stat_activity `a`. */
export const BLOCKER_COLUMNS = `a.pid, a.application_name AS application, a.usename AS user, a.state,
  coalesce(a.xact_start, a.backend_start) AS since, a.query`;

const BLOCKERS_SQL = `SELECT ${BLOCKER_COLUMNS} FROM pg_stat_activity a WHERE a.pid = ANY (pg_blocking_pids($1)) ORDER BY a.pid`;

export async function blockersOf(db: Pick<Client, 'query'>, pid: number): Promise<Blocker[]> {
  return (await db.query<Blocker>(BLOCKERS_SQL, [pid])).rows;
}

function utc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function describeBlocker(blocker: Blocker): string {
  const parts = [blocker.application ? `application "${blocker.application}"` : 'no application name'];
  if (blocker.user) parts.unshift(`user ${blocker.user}`);
  if (blocker.state) parts.push(`${blocker.state}${blocker.since ? ` since ${utc(blocker.since)}` : ''}`);
  if (blocker.query) {
    const query = oneLine(blocker.query);
    parts.push(`last statement: ${query.length > 80 ? `${query.slice(0, 80)}...` : query}`);
  }
  return `pid ${blocker.pid} (${parts.join(', ')})`;
}

export function describeBlockers(blockers: Blocker[]): string {
  return blockers.map(describeBlocker).join('; ');
}

/** pg keeps the server's process id of its session (BackendKeyData), though its types omit it. */
export function backendPid(client: Client): number {
  return (client as unknown as { processID: number }).processID;
}

/** The sessions holding the advisory lock `key` (a bigint, as text) in this database (advisory
 * locks are per database): pg_locks shows its high (classid) and low (objid) 32 bits. */
export async function advisoryLockHolders(db: Pick<Client, 'query'>, key: string): Promise<Blocker[]> {
  if (!/^-?\d+$/.test(key)) throw new Error(`an advisory lock key is a bigint (got ${key})`);
  const { rows } = await db.query<Blocker>(`SELECT ${BLOCKER_COLUMNS}
  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid = (${key}::bigint >> 32)::oid AND l.objid = (${key}::bigint & 4294967295)::oid
  ORDER BY a.pid`);
  return rows;
}
