/**
 * A database URL, checked before any connection attempt so that a typo gets a precise message
 * instead of a driver error. Pure: which URL and which password apply is resolve.ts's decision.
 */
import { UserError } from '../base/errors';

/** Where a target's password came from: said when the target is announced, and in the message
 * for a password the server refused (each source has its own usual cause). */
export type PasswordSource =
  | 'the URL'
  | 'PGPASSWORD'
  | 'USUALSTORE_PASSWORD_COMMAND'
  | 'terraform.tfvars'
  | 'TF_VAR_postgres_password'
  /** libpq's password file (PGPASSFILE, else ~/.pgpass): passwordFile names it. */
  | 'the password file'
  | 'none';

/** The origin of the target used when no URL is given (resolve.ts). */
export const DEPLOYED_ORIGIN = 'the deployed database';

export interface DatabaseTarget {
  /** Handed to pg as is (with the password resolved into it), so query parameters such as
   * sslmode keep working. */
  connectionString: string;
  host: string;
  port: number;
  user: string;
  database: string;
  /** user@host:port/database: safe to print, never holds the password. */
  label: string;
  /** Decoded, when one was found (the URL, PGPASSWORD, the command, the deploy's). */
  password?: string;
  passwordSource: PasswordSource;
  /** The password file looked in when nothing earlier gave a password, and when it gave none, why. */
  passwordFile?: { file: string; unused?: string };
  /** Where the URL came from: the option that gave it, DATABASE_URL, or the deployed database. */
  origin: string;
  /** The URL's query parameters (sslmode, options, ...), for the client tools' PG* variables. */
  parameters: Readonly<Record<string, string>>;
}

const EXPECTED =
  'expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, with special characters in the password percent-encoded (e.g. @ as %40)';

/** `raw` (from `origin`) as a target; the password is only the URL's own. */
export function parseTarget(raw: string, origin: string, env: NodeJS.ProcessEnv): DatabaseTarget {
  const text = raw.trim();
  if (!text) throw new UserError(`${origin} is empty; ${EXPECTED}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Never echo the value: it may hold a password.
    throw new UserError(`${origin} is not a valid URL; ${EXPECTED}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new UserError(`${origin} must start with postgres:// or postgresql:// (it starts with ${url.protocol}//)`);
  }
  const decode = (part: string, what: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new UserError(`the ${what} in ${origin} is not valid percent-encoding; ${EXPECTED}`);
    }
  };
  const password = decode(url.password, 'password');
  const user = decode(url.username, 'user name') || env.PGUSER || 'postgres';
  // A Unix-socket directory may be given as ?host=/path (libpq's convention); pg honours it.
  const host = decode(url.hostname, 'host name').replace(/^\[(.*)\]$/, '$1') || url.searchParams.get('host') || '';
  const database = decode(url.pathname.replace(/^\//, ''), 'database name');
  if (!host) throw new UserError(`${origin} names no host; ${EXPECTED}`);
  if (!database || database.includes('/')) throw new UserError(`${origin} must name exactly one database after the host; ${EXPECTED}`);
  const port = url.port ? Number(url.port) : 5432;
  // pg reads the user from the URL; when the URL has none, pass the one we display.
  if (!url.username) url.username = encodeURIComponent(user);
  return {
    connectionString: url.toString(),
    host,
    port,
    user,
    database,
    label: `${user}@${host.includes(':') ? `[${host}]` : host}:${port}/${database}`,
    ...(password ? { password } : {}),
    passwordSource: password ? 'the URL' : 'none',
    origin,
    parameters: Object.fromEntries(url.searchParams),
  };
}

/** The target with `password` (from `source`) in its URL. */
export function withPassword(target: DatabaseTarget, password: string, source: PasswordSource): DatabaseTarget {
  const url = new URL(target.connectionString);
  url.password = encodeURIComponent(password);
  return { ...target, connectionString: url.toString(), password, passwordSource: source };
}

/** The same server and credentials, another database on it (a scratch database, `postgres`). */
export function withDatabase(target: DatabaseTarget, database: string): DatabaseTarget {
  const url = new URL(target.connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return { ...target, connectionString: url.toString(), database, label: `${target.user}@${host}:${target.port}/${database}` };
}

/** The target's URL without its password (to print, to copy). */
export function passwordlessUrl(target: DatabaseTarget): string {
  const url = new URL(target.connectionString);
  url.password = '';
  return url.toString();
}
