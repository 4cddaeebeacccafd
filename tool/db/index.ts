/**
 * Connecting to the UsualStore database, for every usualstore-db command:
 *
 *   const target = resolveDatabase({ url: options['database-url'] }); // once per run (cli/main.ts)
 *   const client = await connect(target);  // or waitForServer(target, { timeoutMs }) for --wait
 *   try { ... } finally { await disconnect(client); }
 *
 * All of them throw UserError with a one-line message that never contains the password;
 * describeQueryError() turns a failed statement into one line quoting PostgreSQL's error.
 */
export { resolveDatabase, isDeployedDatabase, isDevelopmentDatabase, pointsAtContainer, type DatabaseRequest } from './resolve';
export { passwordlessUrl, withDatabase, type DatabaseTarget, type PasswordSource } from './target';
export {
  ConnectionError,
  connect,
  tryConnect,
  disconnect,
  connectTimeoutMs,
  DEFAULT_CONNECT_TIMEOUT_MS,
  type ConnectOptions,
} from './connect';
export { waitForServer, type WaitOptions } from './connect';
export { describeConnectionError, describeQueryError, isTransientConnectionError } from './errors';
