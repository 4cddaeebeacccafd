/**
 * Is UsualStore's container there to `docker exec` into? One `docker inspect`, its outcome
 * classified by a pure function (so every case is unit-tested without a Docker daemon).
 *
 * Going through the container is preferred because its client tools always match its server
 * (the seed does the same); the local client tools are the fallback.
 */
import { spawnSync } from 'node:child_process';

export type ContainerState =
  | { state: 'running' }
  /** The container exists but is stopped (or restarting, paused...). */
  | { state: 'not-running' }
  | { state: 'absent' }
  | { state: 'docker-missing' }
  | { state: 'daemon-down'; detail: string }
  /** Anything else docker said: treated as "not usable", with its words kept for the report. */
  | { state: 'unknown'; detail: string };

/** What running `docker inspect` gave: a spawn error, or an exit status with its output. */
export interface ProbeOutcome {
  spawnError?: { code?: string; message: string };
  status: number | null;
  stdout: string;
  stderr: string;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}

/** docker's words (CLI 20 to 28, Linux and Docker Desktop) for a daemon it cannot reach. */
export function isDaemonDown(stderr: string): boolean {
  return /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|docker daemon is not running/i.test(stderr);
}

export function classifyProbe(outcome: ProbeOutcome): ContainerState {
  if (outcome.spawnError) {
    if (outcome.spawnError.code === 'ENOENT') return { state: 'docker-missing' };
    // ETIMEDOUT: spawnSync's timeout, typically a daemon that accepts but does not answer.
    return { state: 'unknown', detail: firstLine(outcome.spawnError.message) };
  }
  if (outcome.status === 0) {
    const running = outcome.stdout.trim();
    if (running === 'true') return { state: 'running' };
    if (running === 'false') return { state: 'not-running' };
    return { state: 'unknown', detail: `docker inspect printed "${firstLine(running)}"` };
  }
  const stderr = outcome.stderr;
  if (isDaemonDown(stderr)) {
    return { state: 'daemon-down', detail: firstLine(stderr) };
  }
  if (/No such (object|container)/i.test(stderr)) return { state: 'absent' };
  return { state: 'unknown', detail: firstLine(stderr) || `docker inspect exited with ${outcome.status}` };
}

/** Why the container cannot be used, in words for the command's report. */
export function describeContainerState(name: string, probe: ContainerState): string {
  switch (probe.state) {
    case 'running':
      return `container ${name} is running`;
    case 'not-running':
      return `container ${name} is not running`;
    case 'absent':
      return `there is no container ${name}`;
    case 'docker-missing':
      return 'docker is not installed';
    case 'daemon-down':
      return 'the Docker daemon is not running';
    case 'unknown':
      return `docker cannot tell whether ${name} runs (${probe.detail})`;
  }
}

/** Bounded: a hung daemon must not hang the command; the local tools are tried instead. */
const PROBE_TIMEOUT_MS = 5000;

export function probeContainer(name: string): ContainerState {
  const result = spawnSync('docker', ['inspect', '--type', 'container', '--format', '{{.State.Running}}', name], {
    encoding: 'utf8',
    timeout: PROBE_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return classifyProbe({
    spawnError: result.error as NodeJS.ErrnoException | undefined,
    status: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
  });
}
