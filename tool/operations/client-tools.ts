/**
 * Running PostgreSQL's client tools (pg_dump, pg_restore, psql) along a route: inside the
 * container through `docker exec`, or locally with the URL's parts in libpq's PG* variables.
 * The password only ever travels in the child's environment: a command line is visible to every
 * user of the machine (ps), an environment is not.
 */
import { spawn } from 'node:child_process';
import { UserError } from '../cli/errors';
import { oneLine } from '../db/errors';
import type { DatabaseTarget } from '../db/target';
import type { ClientRoute } from './route';

export type ClientTool = 'pg_dump' | 'pg_restore' | 'psql';

export interface ToolInvocation {
  tool: ClientTool;
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** URL query parameters libpq also takes from the environment. */
const QUERY_VARIABLES: Record<string, string> = {
  sslmode: 'PGSSLMODE',
  sslrootcert: 'PGSSLROOTCERT',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  connect_timeout: 'PGCONNECT_TIMEOUT',
  application_name: 'PGAPPNAME',
  options: 'PGOPTIONS',
};

/** Variables that would make libpq connect somewhere other than the URL says. */
const OVERRIDDEN = ['PGHOSTADDR', 'PGSERVICE', 'PGSERVICEFILE'];

/** libpq's variables for `target`. Without a password in the URL, an inherited PGPASSWORD (or
 * ~/.pgpass) still applies, as it does for the pg driver. */
export function libpqEnvironment(target: DatabaseTarget, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const url = new URL(target.connectionString);
  const env: NodeJS.ProcessEnv = { ...base, PGHOST: target.host, PGPORT: String(target.port), PGUSER: target.user, PGDATABASE: target.database };
  for (const name of OVERRIDDEN) delete env[name];
  // resolveTarget has already checked that it decodes.
  if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
  for (const [parameter, variable] of Object.entries(QUERY_VARIABLES)) {
    const value = url.searchParams.get(parameter);
    if (value !== null) env[variable] = value;
  }
  return env;
}

/** The command that runs `tool args` along `route`; `tty` allocates a terminal in the container. */
export function invocation(route: ClientRoute, tool: ClientTool, args: string[], options: { tty?: boolean } = {}): ToolInvocation {
  if (route.kind === 'local') return { tool, file: tool, args, env: libpqEnvironment(route.target) };
  // Inside the container the tools reach the server over its Unix socket, which the postgres
  // image trusts for local users: no password is needed, so none is passed.
  const dockerArgs = ['exec', '-i', ...(options.tty ? ['-t'] : []), '-e', `PGUSER=${route.user}`, '-e', `PGDATABASE=${route.database}`, route.container, tool, ...args];
  return { tool, file: 'docker', args: dockerArgs, env: process.env };
}

type Stdio = 'inherit' | 'pipe' | 'ignore' | number;

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the command; stdin/stdout may be file descriptors (an archive streams straight between
 * the file and the tool, never through this process's memory). With `stderr: 'inherit'` (the
 * interactive shell) nothing is captured.
 */
export function runTool(command: ToolInvocation, io: { stdin?: Stdio; stdout?: Stdio; stderr?: 'inherit' | 'pipe' } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.file, command.args, { env: command.env, stdio: [io.stdin ?? 'ignore', io.stdout ?? 'pipe', io.stderr ?? 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') reject(new UserError(missingToolMessage(command)));
      else reject(new UserError(`cannot run ${command.file}: ${error.message}`));
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

function missingToolMessage(command: ToolInvocation): string {
  if (command.file === 'docker') return 'docker is not on PATH';
  return `${command.tool} is not on PATH: install PostgreSQL 15's client tools (Debian/Ubuntu: apt-get install postgresql-client-15; macOS: brew install libpq) or start the container`;
}

/** A tool's error output as one line: its first error, without the "pg_dump: error:" prefix. */
export function toolErrorLine(tool: string, stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const line = lines.find((l) => /error|fatal|failed/i.test(l)) ?? lines[0] ?? 'no error output';
  const text = oneLine(line.replace(new RegExp(`^${tool}: (error: )?`), ''));
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}
