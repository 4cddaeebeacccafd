/**
 * Waiting for a server that is still starting (--wait SECONDS). Readiness means a real
 * connection that runs `select 1`, not an open port: Docker's healthcheck interval (10 s) or a
 * bare TCP probe would either wait too long or succeed while the server still refuses logins.
 * Retries start small and back off to a cap, so the wait ends soon after the server is ready.
 */
import type { Client } from 'pg';
import { ConnectionError, connectTimeoutMs, disconnect, tryConnect } from './connect';
import { describeConnectionError, isTransientConnectionError } from './errors';
import { formatSeconds } from '../base/text';
import type { DatabaseTarget } from './target';

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
