/**
 * Running a program as a subprocess and collecting its output: how the tests run the
 * usualstore-db command, cdktf, Terraform and the deploy scripts, the way users run them.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  /** The child's whole environment (callers decide what to inherit); undefined values unset. */
  env: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed (no test waits on a prompt). */
  input?: string;
  /** Killed (SIGKILL) after this long. */
  timeoutMs?: number;
}

export interface RunningProcess {
  child: ChildProcess;
  /** Output so far. */
  output(): { stdout: string; stderr: string };
  done: Promise<RunResult>;
}

/** Starts the program and leaves it running (tests that signal it use `child`). */
export function startProcess(command: string, args: string[], options: RunOptions): RunningProcess {
  const env = { ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const child = spawn(command, args, { cwd: options.cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90000);
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
  // A child that exits without reading its stdin (most do) must not fail the run with EPIPE.
  child.stdin.on('error', () => {});
  child.stdin.end(options.input ?? '');
  return { child, output: () => ({ stdout, stderr }), done };
}

export function runProcess(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  return startProcess(command, args, options).done;
}

/** Undefined when `command args` runs and exits 0 (a tool a test needs is installed); else why not. */
export function commandMissing(command: string, args: string[]): string | undefined {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return undefined;
  } catch {
    return `${command} is not installed here`;
  }
}
