/**
 * The one place where driver and server errors become one-line, actionable messages. Every
 * command that connects (migrate, status, backup, ...) goes through here, so the wording for
 * "wrong password" or "nothing listening" is the same everywhere and never includes the password
 * (messages name the target by its label: user@host:port/database).
 */
import { formatSeconds, oneLine } from '../base/text';
import { DEPLOYED_ORIGIN, type DatabaseTarget } from './target';

/** After "password authentication failed …": the usual cause for where the password came from. */
function wrongPasswordAdvice(target: DatabaseTarget): string {
  switch (target.passwordSource) {
    case 'terraform.tfvars':
    case 'TF_VAR_postgres_password':
      // The postgres image applies the password only when it creates the database.
      return ` with the password from ${target.passwordSource}: the server still has the password it was created with (the postgres image applies postgres_password only to a new, empty volume); deploy again: a new password replaces the container, which then sets it on the server`;
    case 'PGPASSWORD':
      return '; check PGPASSWORD';
    case 'the URL':
      return '; check the password in the URL (percent-encoded: @ as %40)';
    case 'USUALSTORE_PASSWORD_COMMAND':
      return " with the password USUALSTORE_PASSWORD_COMMAND printed; check what the command reads (a rotated secret, another instance's)";
    case 'the password file':
      return ` with the password from ${target.passwordFile?.file ?? 'the password file'}: check its line for this host, port, database and user`;
    case 'none':
      return ` (no password was given${passwordFileNote(target)}); put it in the URL, PGPASSWORD, USUALSTORE_PASSWORD_COMMAND or the password file`;
  }
}

/** Why the password file gave none, for the messages about a missing password. */
function passwordFileNote(target: DatabaseTarget): string {
  const looked = target.passwordFile;
  return looked?.unused ? `: the password file ${looked.file} ${looked.unused}` : '';
}

/** What pg and node:net put on their errors (PostgreSQL's fields, or a system error code). */
interface DriverError {
  message?: string;
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
}

function fields(error: unknown): DriverError {
  return typeof error === 'object' && error !== null ? (error as DriverError) : { message: String(error) };
}

/** System errors worth retrying while a server starts: it is not listening yet, or restarting. */
const TRANSIENT_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOENT',
]);
/** Server errors worth retrying: starting up / shutting down (the Docker image's entrypoint runs a
 * temporary server for initialisation, then restarts it), or too many connections for now. */
const TRANSIENT_SERVER_CODES = new Set(['57P03', '57P01', '53300']);

/** Whether waiting and retrying may help. Authentication and unknown-database errors never do. */
export function isTransientConnectionError(error: unknown): boolean {
  const { code, message = '' } = fields(error);
  if (code && (TRANSIENT_SYSTEM_CODES.has(code) || TRANSIENT_SERVER_CODES.has(code))) return true;
  // pg's own wording when the socket closes during start-up, or our connect timeout fires.
  return /Connection terminated unexpectedly|timeout expired|Connection terminated due to connection timeout/i.test(message);
}

/**
 * A failed connection attempt (or its first query), as one line naming the target.
 * `suggestWait`: the command has a --wait option and it was not given, so advice to pass it
 * helps. Off by default: only `migrate up` has --wait, and advice to wait makes no sense in the
 * message reporting a wait that ran out.
 */
export function describeConnectionError(error: unknown, target: DatabaseTarget, timeoutMs?: number, suggestWait = false): string {
  const { code, message = 'unknown error' } = fields(error);
  const where = `${target.host}:${target.port}`;
  const orWait = suggestWait ? '; retry, or pass --wait SECONDS' : '';
  switch (code) {
    case '28P01':
      return `password authentication failed for user "${target.user}" at ${where}${wrongPasswordAdvice(target)}`;
    case '28000':
      return `the server at ${where} rejected user "${target.user}" for database "${target.database}": ${message}`;
    case '3D000':
      return `database "${target.database}" does not exist on ${where}; create it or fix the database name in the URL`;
    case '57P03':
      return `the server at ${where} is starting up or shutting down${orWait}`;
    case '53300':
      return `the server at ${where} has no connection slots left (${message})`;
    case 'ECONNREFUSED':
      return `nothing is listening on ${where} (connection refused)${suggestWait ? '; is PostgreSQL running? (--wait SECONDS waits for it)' : ''}`;
    case 'ENOTFOUND':
      return `unknown host "${target.host}" (DNS lookup failed); fix the host in the URL`;
    case 'EAI_AGAIN':
      return `could not resolve host "${target.host}" (DNS temporarily unavailable)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to ${where} (${code})`;
    case 'ECONNRESET':
      return `the connection to ${where} was reset by the server`;
    case 'ENOENT':
      if ((error as { path?: string }).path === target.parameters.sslrootcert)
        return `the CA file ${target.parameters.sslrootcert} (sslrootcert) does not exist`;
      return `no PostgreSQL socket at ${where} (${message})`;
  }
  if (/timeout expired|connection timeout/i.test(message) || code === 'ETIMEDOUT') {
    const after = timeoutMs ? ` within ${formatSeconds(timeoutMs)}` : '';
    return `no answer from ${where}${after} (connect timeout); is the host right and the server up?`;
  }
  if (/Connection terminated unexpectedly/i.test(message)) {
    return `the server at ${where} closed the connection during start-up; is it PostgreSQL, and is it ready?`;
  }
  if (/client password must be a string|password must be a string/i.test(message)) {
    return `the server at ${where} asks for a password and none was given${passwordFileNote(target)}: put it in the URL (percent-encoded), PGPASSWORD, USUALSTORE_PASSWORD_COMMAND or the password file${target.origin === DEPLOYED_ORIGIN ? ', or set postgres_password in terraform.tfvars' : ''}`;
  }
  if (/certificate|self.signed|unable to verify|Hostname\/IP does not match/i.test(message)) {
    return `the server at ${where} was not verified (${oneLine(message)}): sslrootcert must name the CA that signed its certificate (for Amazon RDS, the region's CA bundle), and the host must be the one in the certificate`;
  }
  if (/does not support SSL/i.test(message)) {
    return `the server at ${where} does not support SSL; drop sslmode from the URL or set sslmode=disable`;
  }
  return `could not connect to ${where}: ${oneLine(message)}${code ? ` (${code})` : ''}`;
}

/**
 * A failed statement, as PostgreSQL reports it: message, then the detail, hint and position
 * (quoting the SQL around the position) when the server gives them. `place`: where the statement
 * comes from (a migration's file and line), said instead of the position.
 */
export function describeQueryError(error: unknown, sql?: string, place?: string): string {
  const { code, message = String(error), detail, hint, position } = fields(error);
  const parts = [oneLine(message)];
  if (detail) parts.push(`detail: ${oneLine(detail)}`);
  if (hint) parts.push(`hint: ${oneLine(hint)}`);
  if (place) parts.push(`in ${place}`);
  else if (position && sql) {
    const at = Number(position) - 1;
    const near = oneLine(sql.slice(Math.max(0, at - 20), at + 30));
    parts.push(`at character ${position}: ...${near}...`);
  }
  if (code && /^[0-9A-Z]{5}$/.test(code)) parts.push(`SQLSTATE ${code}`);
  return parts.join('; ');
}

/**
 * A statement the server refused for a reason the user can act on (not a bug of ours), as one
 * line; undefined for anything else. `where` names the target.
 */
export function describeServerRefusal(error: unknown, where = 'the database'): string | undefined {
  const { code, message = '' } = fields(error);
  const said = describeQueryError(error);
  switch (code) {
    case '25006':
      return `${where} is read-only (a standby, or default_transaction_read_only is on): ${said}; point the command at the primary`;
    case '42501':
      return `${where} refused: ${said}; the user needs that privilege (the owner of the schema and of pgmigrations, or a superuser, can grant it)`;
    case '57014':
      return `${where} cancelled a statement (${/statement timeout/.test(message) ? 'statement_timeout' : 'a cancel request, pg_cancel_backend or a timeout'}): ${said}`;
    case '57P01':
    case '57P02':
    case '57P03':
      return `${where} ended the session (the server is restarting or shutting down, or an administrator terminated it): ${said}`;
    case '53300':
      return `${where} has no connection slots left: ${said}`;
    case '55P03':
      return `${where}: a lock wait ran out (lock_timeout): ${said}`;
  }
  if (/Connection terminated|connection.*(closed|ended)|ECONNRESET|EPIPE|socket hang up/i.test(`${message} ${code ?? ''}`)) {
    return `the connection to ${where} was lost (${oneLine(message || String(code))}): the server restarted, or something ended the session`;
  }
  if (code && /^[0-9A-Z]{5}$/.test(code)) return `${where} refused: ${said}`;
  return undefined;
}
