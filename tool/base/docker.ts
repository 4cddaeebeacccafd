/**
 * The Docker CLI, run the one way every command runs it: `docker` on PATH, so DOCKER_HOST and
 * Docker contexts count as in the user's own commands; bounded by a time-out (a daemon that
 * accepts and never answers must not hang anything); docker's words for its usual failures
 * recognised here. What a failure means is the caller's (the deploy refuses, the client-tool
 * route falls back to the local tools). Base layer: imports nothing of ours.
 */
import { spawnSync } from 'node:child_process';

/** What running `docker ARGS` gave: a spawn error (ENOENT: not installed; ETIMEDOUT: the
 * time-out), or an exit status with its output. */
export interface DockerOutcome {
  spawnError?: { code?: string; message: string };
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runDocker(args: string[], options: { timeoutMs: number; input?: string; env?: NodeJS.ProcessEnv }): DockerOutcome {
  const result = spawnSync('docker', args, {
    encoding: 'utf8',
    timeout: options.timeoutMs,
    input: options.input ?? '',
    env: options.env ?? process.env,
  });
  return {
    spawnError: result.error as NodeJS.ErrnoException | undefined,
    status: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
  };
}

/** The first line of docker's output, trimmed: what a one-line message quotes. */
export function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}

/** docker's words (CLI 20 to 28, Linux and Docker Desktop) for a daemon it cannot reach. */
export function isDaemonDown(stderr: string): boolean {
  return /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|docker daemon is not running/i.test(stderr);
}

/** docker's words for an object (container, volume) that is not there. */
export function isNoSuchObject(stderr: string): boolean {
  return /No such (object|container|volume)/i.test(stderr);
}
