/**
 * The one way a command waits for a lock: one polling loop, one bound, one report of who holds the
 * lock (below), whichever the lock and whoever waits.
 * - tryLock: a lock we try (an advisory lock: the migration lock). The wait holds nothing between
 *   tries: it sleeps with its session idle, outside any statement and transaction (a waiter
 *   blocked inside pg_advisory_lock would hold a snapshot, and a CREATE INDEX CONCURRENTLY of the
 *   holder waits for every older snapshot to go). Bounded by the caller's timeout; after a second
 *   it says who holds the lock, and again when that changes; a timeout names them.
 * - watchStatement: a statement of ours that waits on the server, bounded there (lock_timeout):
 *   after a second a short-lived second connection asks who blocks it, said once per change, and
 *   attached to its error for the timeout's message.
 * - cancelLongWaits: a client tool's session (pg_restore, whose lock_timeout cannot be set),
 *   cancelled once it has waited longer than the bound, saying who held the lock.
 */
import type { Client } from 'pg';
import { UserError } from '../base/errors';
import { formatSeconds, type Say } from '../base/text';
import { disconnect, tryConnect } from './connect';
import type { DatabaseTarget } from './target';
import { oneLine } from '../base/text';

/** Ends a wait from outside: its loop returns at once, its pending pause is cleared (a pending
 * timer would keep the process alive after the command is done). */
export class Stop {
  private wake: (() => void) | undefined;
  stopped = false;

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  /** A pause that this stop ends early. */
  sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** How often a wait looks: from `firstMs`, doubling to at most `maxMs`, each pause jittered by
 * ±50% so that several waiters do not look in step. */
export interface PollSchedule {
  firstMs: number;
  maxMs: number;
}

/**
 * The one polling loop: runs `look` until it returns true, or `stop` ends it; `deadlineMs`
 * (performance.now()) ends it too. `delayFirst`: pause before the first look. Resolves whether
 * `look` said done.
 */
export async function poll(
  look: () => Promise<boolean>,
  schedule: PollSchedule,
  limits: { stop?: Stop; deadlineMs?: number; delayFirst?: boolean } = {},
): Promise<boolean> {
  const stop = limits.stop ?? new Stop();
  let delay = schedule.firstMs;
  if (limits.delayFirst) await stop.sleep(delay);
  for (;;) {
    if (stop.stopped) return false;
    if (await look()) return true;
    const left = limits.deadlineMs === undefined ? Infinity : limits.deadlineMs - performance.now();
    if (left <= 0 || stop.stopped) return false;
    await stop.sleep(Math.max(1, Math.min(delay * (0.5 + Math.random()), left)));
    delay = Math.min(delay * 2, schedule.maxMs);
  }
}

/** Tries: short at first (a holder that is just ending), then at most a quarter second. */
const TRY_SCHEDULE: PollSchedule = { firstMs: 10, maxMs: 250 };
/** A second before saying who holds a lock: a wait shorter than that needs no line. */
const REPORT_AFTER_MS = 1000;

export interface LockWait {
  /** The lock, for messages: "the migration lock on postgres@…". */
  what: string;
  timeoutMs: number;
  /** Who holds it now (asked on the waiter's own, idle, session). */
  holders: () => Promise<Blocker[]>;
  /** The holders in words. @default describeBlockers */
  describe?: (holders: Blocker[]) => string;
  /** Progress on stderr, once the wait has lasted a second (when the bound is longer than two). */
  warn: Say;
  /** The end of the timeout's message: what to do. */
  advice: string;
}

/** Tries `attempt` until it takes the lock (see above), at most `wait.timeoutMs`. */
export async function tryLock(attempt: () => Promise<boolean>, wait: LockWait): Promise<void> {
  const started = performance.now();
  const describe =
    wait.describe ?? ((holders: Blocker[]) => (holders.length ? describeBlockers(holders) : 'another session (gone by now)'));
  let seen = '';
  let lastLook = 0;
  const taken = await poll(
    async () => {
      if (await attempt()) return true;
      const elapsed = performance.now() - started;
      if (wait.timeoutMs > 2 * REPORT_AFTER_MS && elapsed >= REPORT_AFTER_MS && elapsed - lastLook >= REPORT_AFTER_MS) {
        lastLook = elapsed;
        const holders = await wait.holders().catch(() => []);
        const key = holders.map((holder) => holder.pid).join(',');
        if (holders.length > 0 && key !== seen) {
          seen = key;
          wait.warn(`waiting for ${wait.what} (up to ${formatSeconds(wait.timeoutMs)}), held by ${describe(holders)}`);
        }
      }
      return false;
    },
    TRY_SCHEDULE,
    { deadlineMs: started + wait.timeoutMs },
  );
  if (taken) return;
  const holders = await wait.holders().catch(() => []);
  throw new UserError(
    `${wait.what} was held for more than ${formatSeconds(wait.timeoutMs)} (lock timeout) by ${describe(holders)}; ${wait.advice}`,
  );
}

/** Looking at a wait the server bounds: every second, from the first. */
const WATCH_SCHEDULE: PollSchedule = { firstMs: REPORT_AFTER_MS, maxMs: REPORT_AFTER_MS };

/**
 * Runs `work` (a query on `client`); while it is still running after a second, looks every second
 * for sessions blocking it and calls `onWait` the first time (and whenever they change). A failed
 * `work` carries the last holders seen (holdersOfError).
 */
export async function watchStatement<T>(
  target: DatabaseTarget,
  client: Client,
  work: () => Promise<T>,
  onWait: (blockers: Blocker[]) => void,
): Promise<T> {
  let lastSeen: Blocker[] = [];
  const pid = backendPid(client);
  const stop = new Stop();
  let side: Client | undefined;
  let seen = '';
  const watching = poll(
    async () => {
      try {
        side ??= await tryConnect(target, { timeoutMs: 2000 });
        if (stop.stopped) return true;
        const blockers = await blockersOf(side, pid);
        if (stop.stopped || blockers.length === 0) return false;
        lastSeen = blockers;
        const key = blockers.map((b) => b.pid).join(',');
        if (key !== seen) onWait(blockers);
        seen = key;
      } catch {
        // Best effort: the watch must never turn a wait into a failure of its own.
      }
      return false;
    },
    WATCH_SCHEDULE,
    { stop, delayFirst: true },
  );
  try {
    return await work();
  } catch (error) {
    if (lastSeen.length > 0 && typeof error === 'object' && error !== null) Object.assign(error, { blockers: lastSeen });
    throw error;
  } finally {
    stop.stop();
    await watching;
    if (side) await disconnect(side);
  }
}

/** The blockers a failed statement waited for (attached by watchStatement), if any. */
export function holdersOfError(error: unknown): Blocker[] {
  return (typeof error === 'object' && error !== null && (error as { blockers?: Blocker[] }).blockers) || [];
}

/** Looking at a client tool's waits: twice a second (each look may go through docker exec). */
const CANCEL_SCHEDULE: PollSchedule = { firstMs: 500, maxMs: 500 };

export interface CancelWatch {
  /** Stops watching; resolves to the holders of the lock whose wait it cancelled, if it did. */
  stop(): Promise<Blocker[] | undefined>;
}

/**
 * While a client tool runs, `cancelOnce` asks the server to cancel the tool's statement if it has
 * waited for a lock longer than the bound, resolving to the holders when it did (then the watch
 * ends) and undefined otherwise.
 */
export function cancelLongWaits(cancelOnce: () => Promise<Blocker[] | undefined>): CancelWatch {
  const stop = new Stop();
  let cancelled: Blocker[] | undefined;
  const loop = poll(
    async () => {
      try {
        cancelled = await cancelOnce();
      } catch {
        // Best effort: a failed look must not fail the tool; the next one may succeed.
      }
      return cancelled !== undefined;
    },
    CANCEL_SCHEDULE,
    { stop, delayFirst: true },
  );
  return {
    stop: async () => {
      stop.stop();
      await loop;
      return cancelled;
    },
  };
}

/** The end of the message for a tool whose lock wait was cancelled, or that timed out, naming who held it. */
export function waitedTooLong(blockers: Blocker[], timeoutMs: number, what = 'a lock'): string {
  const who = blockers.length > 0 ? ` held by ${describeBlockers(blockers)}` : '';
  return `it waited more than ${formatSeconds(timeoutMs)} for ${what}${who}, and was stopped; retry when that session is done, or raise --lock-timeout`;
}

/*
 * Who holds a lock: the sessions that block a waiting one (pg_blocking_pids), or that hold an
 * advisory lock, and what they are, in the one form every message names them in. As far as the role may see:
 * without pg_read_all_stats another user's query text reads "<insufficient privilege>".
 */
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
