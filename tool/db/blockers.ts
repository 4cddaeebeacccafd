/**
 * Who a waiting session waits for. When a statement of ours waits on a lock for more than a
 * second, a second, short-lived connection asks the server which sessions block it
 * (pg_blocking_pids) and what they are; the waiting command says so on stderr, and a lock
 * timeout names them instead of guessing. As far as the role may see: without pg_read_all_stats
 * another user's query text reads "<insufficient privilege>".
 */
import type { Client } from 'pg';
import { disconnect, tryConnect } from './connect';
import { oneLine } from '../base/text';
import type { DatabaseTarget } from './target';

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

/** Tools that take node-pg-migrate's lock: a holder that is one of them is a migration run. */
export function isMigrationRun(blocker: Blocker): boolean {
  return /^(usualstore-db|node-pg-migrate)/.test(blocker.application);
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

/**
 * Runs `work` (a query on `client`); if it is still running after `afterMs`, looks every second
 * for sessions blocking it and calls `onWait` the first time (and whenever they change).
 */
export async function watchLockWait<T>(
  target: DatabaseTarget,
  client: Client,
  work: () => Promise<T>,
  onWait: (blockers: Blocker[]) => void,
  afterMs = 1000,
): Promise<T> {
  let lastSeen: Blocker[] = [];
  const pid = backendPid(client);
  let done = false;
  let side: Client | undefined;
  let seen = '';
  const look = async (): Promise<void> => {
    try {
      side ??= await tryConnect(target, { timeoutMs: 2000 });
      if (done) {
        await disconnect(side); // the work ended while this connected
        return;
      }
      const blockers = await blockersOf(side, pid);
      const key = blockers.map((b) => b.pid).join(',');
      if (done || blockers.length === 0) return;
      lastSeen = blockers;
      if (key !== seen) onWait(blockers);
      seen = key;
    } catch {
      // Best effort: the watch must never turn a wait into a failure of its own.
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const schedule = (ms: number) => {
    timer = setTimeout(() => void look().then(() => !done && schedule(1000)), ms);
  };
  schedule(afterMs);
  try {
    return await work();
  } catch (error) {
    if (lastSeen.length > 0 && typeof error === 'object' && error !== null) Object.assign(error, { blockers: lastSeen });
    throw error;
  } finally {
    done = true;
    clearTimeout(timer);
    if (side) await disconnect(side);
  }
}

/** The blockers a failed statement waited for (attached by watchLockWait), if any. */
export function blockersOfError(error: unknown): Blocker[] {
  return (typeof error === 'object' && error !== null && (error as { blockers?: Blocker[] }).blockers) || [];
}
