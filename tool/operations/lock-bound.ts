/**
 * A lock bound for pg_restore. Every restore begins with `SET lock_timeout = 0` (pg_restore writes
 * it whatever the archive or PGOPTIONS say), so no setting can bound its waits. Instead, while it
 * runs, this asks the server twice a second whether the tool's session (found by the application
 * name the tool was started with) has waited for a lock longer than the bound; if so it cancels
 * that statement (pg_cancel_backend), which fails the restore's single transaction: it rolls
 * back, and the tables the tool had already reached are free again.
 */
import { describeBlockers, type Blocker } from '../db/blockers';
import { formatSeconds } from '../base/text';
import { queryValue } from './route-query';
import type { ClientRoute } from './route';

export interface LockBound {
  /** Stops watching; resolves to the holders of the lock it cancelled the wait for, if it did. */
  stop(): Promise<Blocker[] | undefined>;
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

function cancelSql(applicationName: string, timeoutMs: number): string {
  return `WITH cancelled AS MATERIALIZED (
  SELECT a.pid, pg_blocking_pids(a.pid) AS blockers, pg_cancel_backend(a.pid) AS sent
  FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted
  WHERE a.application_name = ${literal(applicationName)} AND l.waitstart < now() - interval '${Math.round(timeoutMs)} milliseconds')
SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM cancelled) THEN '' ELSE coalesce((
  SELECT json_agg(json_build_object('pid', b.pid, 'application', b.application_name, 'user', b.usename, 'state', b.state,
    'since', coalesce(b.xact_start, b.backend_start), 'query', b.query))
  FROM cancelled c CROSS JOIN LATERAL unnest(c.blockers) AS bp(pid) JOIN pg_stat_activity b ON b.pid = bp.pid), '[]')::text END AS value`;
}

export function boundLockWaits(route: ClientRoute, applicationName: string, timeoutMs: number): LockBound {
  let stopped = false;
  let cancelled: Blocker[] | undefined;
  const sql = cancelSql(applicationName, timeoutMs);
  const loop = (async () => {
    while (!stopped && !cancelled) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (stopped) break;
      try {
        const answer = await queryValue(route, sql);
        if (answer)
          cancelled = (JSON.parse(answer) as (Blocker & { since: string | null })[]).map((b) => ({
            ...b,
            since: b.since ? new Date(b.since) : null,
          }));
      } catch {
        // Best effort: a failed look must not fail the restore; the next one may succeed.
      }
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return cancelled;
    },
  };
}

/** The end of the message for a restore whose lock wait was cancelled. */
export function cancelledWaitMessage(blockers: Blocker[], timeoutMs: number): string {
  const who = blockers.length > 0 ? ` held by ${describeBlockers(blockers)}` : '';
  return `it waited more than ${formatSeconds(timeoutMs)} for a lock${who}, and was stopped; retry when that session is done, or raise --lock-timeout`;
}
