/**
 * Is UsualStore's container there to `docker exec` into? One `docker inspect`, its outcome
 * classified by a pure function (so every case is unit-tested without a Docker daemon).
 *
 * Going through the container is preferred because its client tools always match its server
 * (the seed does the same); the local client tools are the fallback.
 */
import { firstLine, isDaemonDown, isNoSuchObject, runDocker, type DockerOutcome } from '../base/docker';

export type ContainerState =
  | { state: 'running' }
  /** The container exists but is stopped (or restarting, paused...). */
  | { state: 'not-running' }
  | { state: 'absent' }
  | { state: 'docker-missing' }
  | { state: 'daemon-down'; detail: string }
  /** Anything else docker said: treated as "not usable", with its words kept for the report. */
  | { state: 'unknown'; detail: string };

export function classifyProbe(outcome: DockerOutcome): ContainerState {
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
  if (isNoSuchObject(stderr)) return { state: 'absent' };
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
  return classifyProbe(
    runDocker(['inspect', '--type', 'container', '--format', '{{.State.Running}}', name], { timeoutMs: PROBE_TIMEOUT_MS }),
  );
}
