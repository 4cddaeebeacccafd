/**
 * Runs the usualstore-db command the way users do: the installed bin, as a subprocess.
 */
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
