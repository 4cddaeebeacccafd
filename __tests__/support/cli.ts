/**
 * Runs the usualstore-db command the way users do: the installed bin, as a subprocess.
 */
import path from 'node:path';
import { runProcess, startProcess, type RunningProcess, type RunResult } from './process';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(PROJECT_ROOT, 'bin', 'usualstore-db.js');
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'migrations');

export type CliResult = RunResult;

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
}

/** `usualstore-db ARGS` with the test's environment plus `env` (undefined values unset it). */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return runProcess(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { ...process.env, ...options.env },
    input: options.input,
    timeoutMs: options.timeoutMs ?? 60000,
  });
}

/** `usualstore-db ARGS` against the database at `url` (DATABASE_URL), the test's `env` on top. */
export function cliOn(url: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs?: number): Promise<CliResult> {
  return runCli(args, { env: { DATABASE_URL: url, ...env }, timeoutMs });
}

/** What a test's commands run against: read at each call, since a test's database and migrations
 * directory are made in its beforeEach. */
export interface CliContext {
  url: string;
  /** Appended as --migrations-dir. */
  migrationsDir?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** The test's `cli(...args)`: usualstore-db [...prefix, ...args] against its database and
 * migrations directory. */
export function cliFor(context: () => CliContext, prefix: string[] = []): (...args: string[]) => Promise<CliResult> {
  return (...args) => {
    const { url, migrationsDir, env, timeoutMs } = context();
    return cliOn(url, [...prefix, ...args, ...(migrationsDir === undefined ? [] : ['--migrations-dir', migrationsDir])], env, timeoutMs);
  };
}

/** `usualstore-db ARGS` started and left running, for tests that signal it. */
export function startCli(args: string[], options: CliOptions = {}): RunningProcess {
  return startProcess(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { ...process.env, ...options.env },
    input: options.input,
    timeoutMs: options.timeoutMs ?? 60000,
  });
}

/** Polls `check` until it returns a value other than undefined/false; fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
