/**
 * A connection pooler in transaction mode (PgBouncer's pool_mode = transaction, and what RDS Proxy
 * does until a session pins) hands each transaction of one client connection to whichever server
 * session is free: what a session holds (a session advisory lock, SET without LOCAL) stays on a
 * server session the next transaction may not reach. A run that holds the migration lock for its
 * whole length, committing migration by migration, needs one server session: this tells whether it
 * has one. Two signs, both needed: the server sees the connection coming from somewhere else than
 * this end of it (something stands in between: a pooler, a proxy; a direct connection costs no more
 * than that one look), and the server session answering changes from one transaction to the next
 * (sessionsAnswering). Or the operator says so (USUALSTORE_POOLED=1: a proxy known to be there,
 * whatever a probe sees).
 */
import type { Client } from 'pg';
import { UserError } from '../base/errors';
import { disconnect, tryConnect } from './connect';
import { beginSql, ROLLBACK } from './session';
import type { DatabaseTarget } from './target';

export const POOLED_VARIABLE = 'USUALSTORE_POOLED';

/** Transactions probed: a pooler in transaction mode changes the server session within a few. */
const PROBES = 3;

interface Socket {
  localAddress?: string;
  localPort?: number;
}

/** Whether the server sees this connection's own end (undefined: a Unix socket, nothing to compare). */
async function direct(client: Client): Promise<boolean | undefined> {
  const socket = (client as unknown as { connection?: { stream?: Socket } }).connection?.stream;
  if (!socket?.localPort) return undefined;
  const { rows } = await client.query<{ port: number | null; addr: string | null }>(
    'SELECT client_port AS port, host(client_addr) AS addr FROM pg_stat_activity WHERE pid = pg_backend_pid()',
  );
  const seen = rows[0];
  if (!seen || seen.port === null) return undefined;
  const here = (socket.localAddress ?? '').replace(/^::ffff:/, '');
  return seen.port === socket.localPort && (seen.addr === here || here === '');
}

const pidOf = async (client: Pick<Client, 'query'>) => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;

/**
 * The server sessions that answered this connection's transactions: a few in a row (a pooler with
 * several free sessions may hand out another each time), then one more while a second connection
 * holds a transaction open (a pooler with one free session hands that one to the second
 * connection: in transaction mode this connection then gets another; in session mode it keeps its own).
 */
async function sessionsAnswering(client: Client, target: DatabaseTarget): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < PROBES; i++) pids.add(await pidOf(client));
  const other = await tryConnect(target);
  try {
    await other.query(beginSql());
    await other.query('SELECT 1');
    pids.add(await pidOf(client));
  } finally {
    await other.query(ROLLBACK).catch(() => {});
    await disconnect(other);
  }
  return pids;
}

/** One line: the run needs one server session, and how to have one. */
function refusal(target: DatabaseTarget, why: string): UserError {
  return new UserError(
    `${target.label} is reached through a connection pooler in transaction mode (${why}): a migration run holds the migration lock and its bounds in one server session, which a pooler does not keep; connect to the database directly (the instance's own endpoint, not the pooler's or the proxy's), or set the pooler to session mode for this user`,
  );
}

/**
 * Refuses a connection whose transactions do not all reach one server session. Resolves to a check
 * to make between the run's transactions when something stands between client and server (one
 * that seemed to keep its session may not under load), or undefined for a direct connection.
 */
export async function requireOneServerSession(
  client: Client,
  target: DatabaseTarget,
  env: NodeJS.ProcessEnv = process.env,
): Promise<(() => Promise<void>) | undefined> {
  if ((env[POOLED_VARIABLE] ?? '') === '1') throw refusal(target, `${POOLED_VARIABLE}=1`);
  if ((await direct(client)) !== false) return undefined;
  const pids = await sessionsAnswering(client, target);
  if (pids.size > 1) throw refusal(target, `the server session changed between transactions: pids ${[...pids].join(', ')}`);
  const [pid] = pids;
  return async () => {
    const now = await pidOf(client);
    if (now !== pid) throw refusal(target, `the server session changed during the run: pid ${pid}, then ${now}`);
  };
}
