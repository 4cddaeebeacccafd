/**
 * Runs the usualstore-db command the way users do: the installed bin, as a subprocess.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { runProcess, type RunResult } from './process';

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

export interface RunningCli {
  /** The command's own process (node), to send signals to. */
  pid: number;
  kill(signal: NodeJS.Signals): void;
  /** Output so far. */
  output(): { stdout: string; stderr: string };
  done: Promise<CliResult>;
}

/** `usualstore-db ARGS` started and left running, for tests that signal it. */
export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60000);
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    }),
  );
  return { pid: child.pid!, kill: (signal) => child.kill(signal), output: () => ({ stdout, stderr }), done };
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
