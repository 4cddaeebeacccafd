/**
 * Running PostgreSQL's client tools (pg_dump, pg_restore, psql) along a route: inside the
 * container through `docker exec`, or locally with the URL's parts in libpq's PG* variables.
 * The password only ever travels in the child's environment: a command line is visible to every
 * user of the machine (ps), an environment is not.
 */
import { describeBlockers, type Blocker } from '../db/lock-wait';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { interruptible } from '../base/interruption';
import { UserError } from '../base/errors';
import { SESSION_SETTINGS } from '../db/connect';
import { formatSeconds, oneLine } from '../base/text';
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
  const env: NodeJS.ProcessEnv = {
    ...base,
    PGHOST: target.host,
    PGPORT: String(target.port),
    PGUSER: target.user,
    PGDATABASE: target.database,
  };
  for (const name of OVERRIDDEN) delete env[name];
  if (target.password) env.PGPASSWORD = target.password;
  for (const [parameter, variable] of Object.entries(QUERY_VARIABLES)) {
    if (Object.hasOwn(target.parameters, parameter)) env[variable] = target.parameters[parameter];
  }
  return env;
}

/** The tools' sessions get the settings ours have (a session that ends with its client), after
 * whatever PGOPTIONS the user set. */
export function withSessionSettings(pgoptions: string | undefined): string {
  return [pgoptions, ...SESSION_SETTINGS.map((setting) => `-c ${setting}`)].filter(Boolean).join(' ');
}

/** The command that runs `tool args` along `route`; `tty` allocates a terminal in the container. */
export function invocation(
  route: ClientRoute,
  tool: ClientTool,
  args: string[],
  options: { tty?: boolean; applicationName?: string } = {},
): ToolInvocation {
  const named = options.applicationName ? { PGAPPNAME: options.applicationName } : {};
  if (route.kind === 'local') {
    const env: NodeJS.ProcessEnv = { ...libpqEnvironment(route.target), ...named };
    env.PGOPTIONS = withSessionSettings(env.PGOPTIONS);
    return { tool, file: tool, args, env };
  }
  // Inside the container the tools reach the server over its Unix socket, which the postgres
  // image trusts for local users: no password is needed, so none is passed.
  const variables = { PGUSER: route.user, PGDATABASE: route.database, PGOPTIONS: withSessionSettings(undefined), ...named };
  const dockerArgs = [
    'exec',
    '-i',
    ...(options.tty ? ['-t'] : []),
    ...Object.entries(variables).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
    route.container,
    tool,
    ...args,
  ];
  return { tool, file: 'docker', args: dockerArgs, env: process.env };
}

type Stdio = 'inherit' | 'pipe' | 'ignore' | number;

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Bytes written to `pipeStdoutTo`. */
  stdoutBytes?: number;
}

/**
 * Runs the command; stdin/stdout may be file descriptors (an archive streams straight between
 * the file and the tool, never through this process's memory). With `stderr: 'inherit'` (the
 * interactive shell) nothing is captured.
 */
export function runTool(
  command: ToolInvocation,
  io: { stdin?: Stdio; stdout?: Stdio; stderr?: 'inherit' | 'pipe'; pipeStdoutTo?: NodeJS.WritableStream } = {},
): Promise<ToolResult> {
  const [file, args] = PDEATHSIG
    ? [PDEATHSIG, ['--pdeathsig', 'SIGTERM', '--', command.file, ...command.args]]
    : [command.file, command.args];
  const child = spawn(file, args, { env: command.env, stdio: [io.stdin ?? 'ignore', io.stdout ?? 'pipe', io.stderr ?? 'pipe'] });
  // Interrupted: the child stops with us (pg_restore's transaction then rolls back).
  return interruptible(
    { cleanup: () => child.kill('SIGTERM') },
    () =>
      new Promise<ToolResult>((resolve, reject) => {
        let stdout = '';
        let stderr = '';
        let stdoutBytes = 0;
        if (io.pipeStdoutTo) {
          // Streamed on, with backpressure, and counted (backup -: its size), never kept.
          child.stdout?.on('data', (d: Buffer) => (stdoutBytes += d.length));
          child.stdout?.pipe(io.pipeStdoutTo, { end: false });
        } else child.stdout?.on('data', (d) => (stdout += d));
        child.stderr?.on('data', (d) => (stderr += d));
        child.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') reject(new UserError(missingToolMessage(command)));
          else reject(new UserError(`cannot run ${command.file}: ${error.message}`));
        });
        child.on('close', (code, signal) => {
          // setpriv reports a tool it cannot find with 127 (what a shell does too).
          if (PDEATHSIG && code === 127 && /failed to execute/.test(stderr)) reject(new UserError(missingToolMessage(command)));
          else resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, stdoutBytes });
        });
      }),
  );
}

/**
 * util-linux's setpriv (Linux): runs the tool with a parent-death signal, so that a tool outlives
 * no kill of this process, not even SIGKILL, which no handler sees. Elsewhere tools are plain
 * children (stopped by the signal handler, which covers everything but SIGKILL).
 */
const PDEATHSIG =
  process.platform === 'linux' ? ['/usr/bin/setpriv', '/bin/setpriv'].find((candidate) => fs.existsSync(candidate)) : undefined;

function missingToolMessage(command: ToolInvocation): string {
  if (command.file === 'docker') return 'docker is not on PATH';
  return `${command.tool} is not on PATH: install PostgreSQL 15's client tools (Debian/Ubuntu: apt-get install postgresql-client-15; macOS: brew install libpq) or start the container`;
}

/** A tool's error output as one line: its first error, without the "pg_dump: error:" prefix. */
export function toolErrorLine(tool: string, stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const line = lines.find((l) => /error|fatal|failed/i.test(l)) ?? lines[0] ?? 'no error output';
  const text = oneLine(line.replace(new RegExp(`^${tool}: (error: )?`), ''));
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

/** After pg_dump's lock timeout: what bounded it (the server's message alone does not say). */
export function lockHint(stderr: string, lockTimeoutMs: number, holders: Blocker[] = []): string {
  // pg_dump bounds its lock waits with statement_timeout (--lock-wait-timeout), and only them.
  if (!/lock timeout|statement timeout|could not obtain lock/i.test(stderr)) return '';
  const who = holders.length > 0 ? describeBlockers(holders) : 'a migration or an application transaction';
  return ` (another session held a table it needed for more than ${formatSeconds(lockTimeoutMs)}: ${who}; retry when it is done, or raise --lock-timeout)`;
}
