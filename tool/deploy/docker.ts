/**
 * The Docker CLI as the deploy's checks use it (base/docker.ts runs it): every failure that is the
 * user's to fix becomes one line saying what to do.
 */
import { firstLine, isDaemonDown, isNoSuchObject, runDocker } from '../base/docker';
import { UserError } from '../base/errors';

export interface DockerResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A deploy waits this long for each answer of the daemon. */
const TIMEOUT_MS = 15000;

/** Where the CLI talks to: DOCKER_HOST, or the current context's endpoint (for messages). */
function endpointHint(env: NodeJS.ProcessEnv): string {
  if (env.DOCKER_HOST) return ` (DOCKER_HOST=${env.DOCKER_HOST})`;
  if (env.DOCKER_CONTEXT) return ` (DOCKER_CONTEXT=${env.DOCKER_CONTEXT})`;
  return '';
}

/**
 * Runs `docker ARGS`. A missing CLI, a daemon that does not answer and a time-out are the user's
 * to fix and end the command in one line; any other failure is returned for the caller to judge.
 */
export function docker(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): DockerResult {
  const env = options.env ?? process.env;
  const result = runDocker(args, { timeoutMs: TIMEOUT_MS, input: options.input, env });
  const error = result.spawnError;
  if (error?.code === 'ENOENT') {
    throw new UserError(
      'the docker command is not installed (not on PATH): install Docker Desktop or Docker Engine, start it, and run it again',
    );
  }
  if (error?.code === 'ETIMEDOUT') {
    throw new UserError(
      `the Docker daemon did not answer \`docker ${args[0]}\` within ${TIMEOUT_MS / 1000} s${endpointHint(env)}: restart Docker and run it again`,
    );
  }
  if (error) throw new UserError(`could not run docker: ${firstLine(error.message)}`);
  if (result.status !== 0 && isDaemonDown(result.stderr)) {
    throw new UserError(
      `the Docker daemon is not running or not reachable${endpointHint(env)} (${firstLine(result.stderr)}): start Docker (Docker Desktop, or \`sudo systemctl start docker\`) and run it again`,
    );
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `docker …` that must succeed: otherwise one line naming what failed and docker's words. */
export function dockerOk(args: string[], what: string, options: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const result = docker(args, options);
  if (result.status !== 0) throw new UserError(`${what} failed: ${firstLine(result.stderr) || `docker exited with ${result.status}`}`);
  return result.stdout;
}

export interface Engine {
  version: string;
  apiVersion: string;
  /** The daemon's address as the CLI uses it (unix://…, npipe://…, tcp://…, ssh://…). */
  endpoint: string;
}

export function engineInfo(env: NodeJS.ProcessEnv = process.env): Engine {
  const [version = '', apiVersion = ''] = dockerOk(
    ['version', '--format', '{{.Server.Version}}|{{.Server.APIVersion}}'],
    'asking the Docker daemon its version',
    { env },
  )
    .trim()
    .split('|');
  const endpoint = docker(['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}'], { env }).stdout.trim() || env.DOCKER_HOST || '';
  return { version, apiVersion, endpoint };
}

/** "1.41" < "1.44" < "1.100", part by part. */
export function apiAtLeast(actual: string, required: string): boolean {
  const a = actual.split('.').map(Number);
  const r = required.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, r.length); i++) {
    const x = a[i] ?? 0;
    const y = r[i] ?? 0;
    if (Number.isNaN(x)) return false;
    if (x !== y) return x > y;
  }
  return true;
}

export interface ContainerInfo {
  /** Docker's state: created, running, paused, restarting, removing, exited, dead. */
  status: string;
  /** Host ports the container publishes ("5433"). */
  hostPorts: string[];
}

export function inspectContainer(name: string, env: NodeJS.ProcessEnv = process.env): ContainerInfo | undefined {
  const result = docker(['container', 'inspect', '--format', '{{.State.Status}}|{{json .HostConfig.PortBindings}}', name], { env });
  if (result.status !== 0) {
    if (isNoSuchObject(result.stderr)) return undefined;
    throw new UserError(`inspecting container ${name} failed: ${firstLine(result.stderr)}`);
  }
  const [status = '', bindings = 'null'] = result.stdout.trim().split('|');
  const parsed = (JSON.parse(bindings) ?? {}) as Record<string, { HostPort?: string }[] | null>;
  const hostPorts = Object.values(parsed).flatMap((list) => (list ?? []).map((b) => b.HostPort ?? '').filter(Boolean));
  return { status, hostPorts };
}

export function volumeExists(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const result = docker(['volume', 'inspect', '--format', '{{.Name}}', name], { env });
  if (result.status === 0) return true;
  if (isNoSuchObject(result.stderr)) return false;
  throw new UserError(`inspecting volume ${name} failed: ${firstLine(result.stderr)}`);
}

/** Names of the running containers that publish `port` on the host. */
export function containersPublishing(port: number, env: NodeJS.ProcessEnv = process.env): string[] {
  return dockerOk(['ps', '--filter', `publish=${port}`, '--format', '{{.Names}}'], 'listing containers', { env })
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}
