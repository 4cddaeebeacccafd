/**
 * Which database to talk to: the URL from --database-url or DATABASE_URL, checked before any
 * connection attempt so that a typo gets a precise message instead of a driver error.
 *
 * The password may be left out of the URL and given in PGPASSWORD instead (the deploy hook does
 * that, so the password never appears on a command line or in Terraform's JSON); the pg driver
 * reads PGPASSWORD (and ~/.pgpass) itself when the URL has none.
 */
import { UserError } from '../base/errors';

export interface DatabaseTarget {
  /** Handed to pg as is, so that query parameters such as sslmode keep working. */
  connectionString: string;
  host: string;
  port: number;
  user: string;
  database: string;
  /** user@host:port/database: safe to print, never holds the password. */
  label: string;
  /** Decoded, when the URL has one (else pg and libpq read PGPASSWORD or ~/.pgpass). */
  password?: string;
  /** The URL's query parameters (sslmode, options, ...), for the client tools' PG* variables. */
  parameters: Readonly<Record<string, string>>;
}

export interface ResolveTargetOptions {
  /** The --database-url option, which wins over the environment. */
  databaseUrl?: string;
  env?: NodeJS.ProcessEnv;
}

const EXPECTED = 'expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, with special characters in the password percent-encoded (e.g. @ as %40)';

export function resolveTarget(options: ResolveTargetOptions = {}): DatabaseTarget {
  const env = options.env ?? process.env;
  const fromFlag = options.databaseUrl !== undefined;
  const raw = (fromFlag ? options.databaseUrl : env.DATABASE_URL)?.trim();
  const source = fromFlag ? '--database-url' : 'DATABASE_URL';
  if (!raw) {
    throw new UserError(
      fromFlag
        ? '--database-url is empty; ' + EXPECTED
        : 'no database given: set DATABASE_URL or pass --database-url (postgres://USER@HOST:PORT/DATABASE, password in PGPASSWORD or the URL)',
    );
  }

  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Never echo the value: it may hold a password.
    throw new UserError(`${source} is not a valid URL; ${EXPECTED}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new UserError(`${source} must start with postgres:// or postgresql:// (it starts with ${url.protocol}//)`);
  }

  const decode = (part: string, what: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new UserError(`the ${what} in ${source} is not valid percent-encoding; ${EXPECTED}`);
    }
  };
  const password = decode(url.password, 'password');
  const user = decode(url.username, 'user name') || env.PGUSER || 'postgres';
  // A Unix-socket directory may be given as ?host=/path (libpq's convention); pg honours it.
  const host = decode(url.hostname, 'host name').replace(/^\[(.*)\]$/, '$1') || url.searchParams.get('host') || '';
  const database = decode(url.pathname.replace(/^\//, ''), 'database name');
  if (!host) throw new UserError(`${source} names no host; ${EXPECTED}`);
  if (!database || database.includes('/')) throw new UserError(`${source} must name exactly one database after the host; ${EXPECTED}`);
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
    parameters: Object.fromEntries(url.searchParams),
  };
}
