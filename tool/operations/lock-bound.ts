/**
 * A client tool's lock waits, watched along its route (db/lock-wait.ts: the one way a command
 * waits): who the tool's session (found by the application name it was started with) waits for.
 * pg_restore: every restore begins with `SET lock_timeout = 0` (pg_restore writes it whatever the
 * archive or PGOPTIONS say), so no setting can bound its waits; a wait longer than the bound is
 * cancelled (pg_cancel_backend), which fails the restore's single transaction: it rolls back, and
 * the tables the tool had already reached are free again. pg_dump bounds its own waits
 * (--lock-wait-timeout): the watch only sees who held the lock, for its message.
 */
import type { Blocker } from '../db/lock-wait';
import { cancelLongWaits, type CancelWatch as LockBound } from '../db/lock-wait';
import { queryValue } from './route-query';
import type { ClientRoute } from './route';

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The holders a session of `applicationName` has waited for longer than `afterMs`, as JSON ('' when
 * none); with `cancel`, its statement is cancelled too. */
function waitsSql(applicationName: string, afterMs: number, cancel: boolean): string {
  return `WITH cancelled AS MATERIALIZED (
  SELECT a.pid, pg_blocking_pids(a.pid) AS blockers${cancel ? ', pg_cancel_backend(a.pid) AS sent' : ''}
  FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted
  WHERE a.application_name = ${literal(applicationName)} AND l.waitstart < now() - interval '${Math.round(afterMs)} milliseconds')
SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM cancelled) THEN '' ELSE coalesce((
  SELECT json_agg(json_build_object('pid', b.pid, 'application', b.application_name, 'user', b.usename, 'state', b.state,
    'since', coalesce(b.xact_start, b.backend_start), 'query', b.query))
  FROM cancelled c CROSS JOIN LATERAL unnest(c.blockers) AS bp(pid) JOIN pg_stat_activity b ON b.pid = bp.pid), '[]')::text END AS value`;
}

/**
 * Watches the tool's session: with `cancelAfterMs`, a wait longer than that is cancelled; without,
 * a wait is only seen. stop() resolves to who held the lock, if a wait was cancelled or seen.
 */
export function watchToolLockWaits(route: ClientRoute, applicationName: string, bound: { cancelAfterMs?: number }): LockBound {
  const sql = waitsSql(applicationName, bound.cancelAfterMs ?? 200, bound.cancelAfterMs !== undefined);
  return cancelLongWaits(async () => {
    const answer = await queryValue(route, sql);
    if (!answer) return undefined;
    return (JSON.parse(answer) as (Blocker & { since: string | null })[]).map((b) => ({ ...b, since: b.since ? new Date(b.since) : null }));
  });
}
