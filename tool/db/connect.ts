/**
 * Opening a connection, at once with a bounded timeout or waiting for a server that is still
 * starting (--wait), failing with a one-line message (UserError).
 */
import type { Client } from 'pg';
import { UserError } from '../base/errors';
import { formatSeconds } from '../base/text';
import { describeConnectionError, isTransientConnectionError } from './errors';
import { pg } from './pg';
import type { DatabaseTarget } from './target';

/** The server could not be reached or refused the login: no session was opened. */
export class ConnectionError extends UserError {
  /** The server's SQLSTATE (28P01: the password was refused) or the system's error code. */
  readonly code: string | undefined;

  constructor(message: string, cause?: unknown) {
    super(message);
    this.name = 'ConnectionError';
    this.code = (cause as { code?: unknown } | undefined)?.code === undefined ? undefined : String((cause as { code: unknown }).code);
  }
}

/** Long enough for a loaded server, short enough that a wrong host fails within seconds.
 * PGCONNECT_TIMEOUT (seconds, libpq's variable) overrides it. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

export function connectTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.PGCONNECT_TIMEOUT);
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : DEFAULT_CONNECT_TIMEOUT_MS;
}

export interface ConnectOptions {
  timeoutMs?: number;
  /** The command has a --wait option (not given): its connection errors say so. */
  suggestWait?: boolean;
}

/**
 * The URL as pg should read it. pg 8 treats sslmode=prefer, require and verify-ca as verify-full
 * (it verifies the server's certificate and name) and prints an eight-line SECURITY WARNING on
 * stderr about a future change; naming verify-full is the same connection without the warning.
 */
export function pgConnectionString(target: DatabaseTarget): string {
  const mode = target.parameters.sslmode;
  if (mode !== 'prefer' && mode !== 'require' && mode !== 'verify-ca') return target.connectionString;
  const url = new URL(target.connectionString);
  url.searchParams.set('sslmode', 'verify-full');
  return url.toString();
}

/**
 * Settings every session of ours starts with (pg's startup options, PGOPTIONS for the client
 * tools). client_connection_check_interval (PostgreSQL 14+): the server checks every second
 * whether the client is still there, even while a statement runs or waits for a lock. Without
 * it, a killed migrator's session keeps its transaction, its locks and its queued ACCESS
 * EXCLUSIVE request until the statement ends by itself, which for a lock wait is never.
 */
export const SESSION_SETTINGS = ['client_connection_check_interval=1000'];

/** Connects, or throws the raw driver error (for callers that retry, such as waitForServer). */
export async function tryConnect(target: DatabaseTarget, options: ConnectOptions = {}): Promise<Client> {
  // Loaded here rather than imported at the top: commands that never connect skip loading pg.
  const { Client: PgClient } = pg();
  const client = new PgClient({
    connectionString: pgConnectionString(target),
    connectionTimeoutMillis: options.timeoutMs ?? connectTimeoutMs(),
    application_name: 'usualstore-db',
    options: SESSION_SETTINGS.map((setting) => `-c ${setting}`).join(' '),
  });
  // Without a listener, a server that drops an idle connection would crash the process with a
  // stack trace; the next query then fails with an ordinary error instead.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return client;
}

/** Connects once; an unreachable server is an immediate, one-line error. Every command that
 * connects once goes through here (operations too), so the wording is the same everywhere. */
export async function connect(target: DatabaseTarget, options: ConnectOptions = {}): Promise<Client> {
  const timeoutMs = options.timeoutMs ?? connectTimeoutMs();
  try {
    return await tryConnect(target, { timeoutMs });
  } catch (error) {
    throw new ConnectionError(describeConnectionError(error, target, timeoutMs, options.suggestWait), error);
  }
}

/**
 * Closes without letting a dead connection's error replace the command's own outcome, and
 * without waiting for the server to close its side, as libpq's PQfinish (psql) does not: pg's
 * end() sends Terminate and then waits for the backend to exit, a few ms at the end of every
 * command. The socket is unreferenced instead, so the process may exit once Terminate is written
 * (libuv finishes pending writes first). Locks are released explicitly before this (session.ts).
 */
export async function disconnect(client: Client): Promise<void> {
  const ended = client.end().catch(() => {});
  const socket = (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream;
  if (typeof socket?.unref !== 'function') return ended;
  socket.unref();
}

/** Checks that the server answers before work goes to a client tool (pg_dump, psql), so that an
 * unreachable server gets the same one-line message as every other command, not the tool's own. */
export async function checkReachable(target: DatabaseTarget): Promise<void> {
  await disconnect(await connect(target));
}

/*
 * Waiting for a server that is still starting (--wait SECONDS). Readiness means a real
 * connection that runs `select 1`, not an open port: Docker's healthcheck interval (10 s) or a
 * bare TCP probe would either wait too long or succeed while the server still refuses logins.
 * Retries start small and back off to a cap, so the wait ends soon after the server is ready.
 */
export interface WaitOptions {
  /** Give up after this long (the --wait value). */
  timeoutMs: number;
  /** First pause between attempts; doubled after each failure up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Progress: called once the wait has lasted a second, then every 10 s, with the reason. */
  onWait?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Returns a connected client once `select 1` succeeds; the caller owns (and ends) it. */
export async function waitForServer(target: DatabaseTarget, options: WaitOptions): Promise<Client> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = options.initialDelayMs ?? 50;
  const maxDelay = options.maxDelayMs ?? 1000;
  let lastError: unknown;
  const started = Date.now();
  let nextReport = started + 1000;
  for (;;) {
    const remaining = deadline - Date.now();
    // Each attempt is bounded by what is left of the wait, so the whole wait stays bounded.
    const attemptTimeout = Math.max(100, Math.min(connectTimeoutMs(), remaining));
    let client: Client | undefined;
    try {
      client = await tryConnect(target, { timeoutMs: attemptTimeout });
      await client.query('select 1');
      return client;
    } catch (error) {
      if (client) await disconnect(client);
      // Wrong password or unknown database will not fix themselves: say so at once.
      if (!isTransientConnectionError(error)) throw new ConnectionError(describeConnectionError(error, target, attemptTimeout), error);
      lastError = error;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new ConnectionError(
        `PostgreSQL at ${target.host}:${target.port} was not ready within ${formatSeconds(options.timeoutMs)}; last error: ${describeConnectionError(lastError, target, attemptTimeout)}`,
      );
    }
    if (options.onWait && Date.now() >= nextReport) {
      options.onWait(
        `waiting for ${target.label} to accept connections (${formatSeconds(Date.now() - started)} of up to ${formatSeconds(options.timeoutMs)}): ${describeConnectionError(lastError, target, attemptTimeout)}`,
      );
      nextReport = Date.now() + 10_000;
    }
    await sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, maxDelay);
  }
}
