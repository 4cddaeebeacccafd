/**
 * The checks `npm run deploy` (and destroy, wipe) makes before cdktf starts, so that what would
 * otherwise fail deep inside Terraform's output, or succeed wrongly, stops in seconds with one
 * line naming what and the fix:
 * - the password is set and not the example's placeholder, and the container's password file
 *   (.secrets/postgres-password, which Terraform uploads into a new container) holds it;
 * - the Docker daemon answers (DOCKER_HOST and contexts as the docker CLI honours them), and its
 *   API version can create the container as configured;
 * - the data volume the data stack's state knows still exists: Docker re-creates a deleted
 *   volume empty without a word, and the deploy would then report success on an empty database;
 * - a stopped database container is started (the stack sets must_run = false, so that a refresh
 *   never deletes it);
 * - the running server's password is the deploy's: the image applies POSTGRES_PASSWORD only when
 *   it creates the database, so a changed password is set on the server here;
 * - the host port is free, or published by this project's container.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { UserError } from '../base/errors';
import { requiredDockerApi, type DatabaseConfig } from '../../config/database';
import {
  apiAtLeast,
  containersPublishing,
  docker,
  dockerOk,
  engineInfo,
  inspectContainer,
  volumeExists,
  type ContainerInfo,
  type Engine,
} from './docker';
import { deployPassword, type DeployPassword } from './password';
import { writePasswordFile } from './password-file';
import { PASSWORD_FILE } from '../../config/deploy-password';
import { scramVerifier } from './scram';
import { volumesInStackState } from './terraform-state';
import { loadStateBackend } from '../../config/state-backend';
import { DATA_STACK_NAME } from '../../config/stacks';

export type PreflightAction = 'deploy' | 'destroy' | 'wipe';

/** Setting it to the volume's name is how a user asks for a new, empty volume on purpose. */
export const NEW_EMPTY_VOLUME_VARIABLE = 'USUALSTORE_NEW_EMPTY_VOLUME';

export interface PreflightOptions {
  projectDir: string;
  config: DatabaseConfig;
  env: NodeJS.ProcessEnv;
  /** One line of progress (stdout). */
  say: (line: string) => void;
}

function checkEngine(engine: Engine, config: DatabaseConfig): void {
  const required = requiredDockerApi(config);
  if (!apiAtLeast(engine.apiVersion, required.version)) {
    throw new UserError(
      `Docker Engine ${engine.version} (API ${engine.apiVersion}) is too old: ${required.reason} (API ${required.version}); upgrade Docker${required.version === '1.41' ? '' : ', or unset the variable named'}`,
    );
  }
}

/** What happened to the volume, and the two ways on, when Docker lost it. */
async function checkVolume(options: PreflightOptions): Promise<string> {
  const { config, env, projectDir } = options;
  const name = config.volumeName;
  const asked = env[NEW_EMPTY_VOLUME_VARIABLE];
  if (asked !== undefined && asked !== '' && asked !== name) {
    throw new UserError(
      `${NEW_EMPTY_VOLUME_VARIABLE} must be exactly the volume name "${name}" to create it anew, empty (got ${JSON.stringify(asked)})`,
    );
  }
  if (volumeExists(name, env)) return `volume ${name} present`;
  const recorded = await volumesInStackState(projectDir, DATA_STACK_NAME, loadStateBackend(env, config), env);
  if (recorded === undefined) return `volume ${name} to be created (not checked against the state in S3)`;
  if (!recorded.includes(name)) return `volume ${name} to be created`;
  if (asked === name) return `volume ${name} to be created anew, EMPTY, as asked (${NEW_EMPTY_VOLUME_VARIABLE})`;
  throw new UserError(
    `the data volume ${name} that this project created no longer exists in Docker (deleted outside Terraform: docker volume rm, docker system prune --volumes, or a Docker Desktop reset), so its data is gone; to start with an empty database on purpose run ${NEW_EMPTY_VOLUME_VARIABLE}=${name} npm run deploy, then restore a backup with ./usualstore-db restore FILE`,
  );
}

/** Starts the container when it exists but is stopped; returns its state in words. */
function startIfStopped(container: ContainerInfo | undefined, options: PreflightOptions): string {
  const name = options.config.containerName;
  if (!container) return `container ${name} to be created`;
  if (container.status === 'running') return `container ${name} running`;
  if (container.status === 'exited' || container.status === 'created') {
    dockerOk(['start', name], `starting the stopped container ${name} (see docker logs ${name})`, { env: options.env });
    options.say(`preflight: started the stopped container ${name}`);
    container.status = 'running';
    return `container ${name} started`;
  }
  throw new UserError(
    `container ${name} is ${container.status}: see docker logs ${name}; wait for it, or reset with npm run destroy && npm run deploy (the data volume stays)`,
  );
}

/**
 * The running server's password against the deploy's, through `docker exec` (TCP inside the
 * container, so pg_hba's password rule applies); on a mismatch the deploy's password is set over
 * the container's local socket (trusted by the postgres image), as a SCRAM verifier.
 */
function alignServerPassword(password: DeployPassword, options: PreflightOptions): string {
  const { config, env } = options;
  const name = config.containerName;
  if (password.value === undefined) return `password in ${password.source} not checked (only Terraform can evaluate it)`;
  // `-e PGPASSWORD` without a value: docker copies it from its own environment, never argv.
  const execEnv = { ...env, PGPASSWORD: password.value };
  const probe = docker(
    ['exec', '-e', 'PGPASSWORD', name, 'psql', '-w', '-h', '127.0.0.1', '-U', config.user, '-d', 'postgres', '-Atqc', 'select 1'],
    { env: execEnv },
  );
  if (probe.status === 0) return 'password matches the server';
  if (!/password authentication failed/i.test(probe.stderr)) {
    return `password not checked (${probe.stderr.trim().split('\n')[0] || `docker exec exited with ${probe.status}`})`;
  }
  const role = `"${config.user.replace(/"/g, '""')}"`;
  const change = docker(['exec', '-i', name, 'psql', '-w', '-U', config.user, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-Atq'], {
    env,
    input: `ALTER ROLE ${role} PASSWORD '${scramVerifier(password.value)}';\n`,
  });
  if (change.status !== 0) {
    throw new UserError(
      `the running server's password for ${config.user} is not the one in ${password.source} (the postgres image sets POSTGRES_PASSWORD only when it creates the database) and it could not be changed (${change.stderr.trim().split('\n')[0]}): put the old password back in ${password.source}, or connect with it and run ALTER ROLE ${config.user} PASSWORD '…'`,
    );
  }
  options.say(
    `preflight: set the password of ${config.user} on the running server to the one in ${password.source} (the image applies it only when it creates the database)`,
  );
  return 'password changed on the server';
}

function portInUse(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(true);
      // No such address on this host (no IPv6 loopback): Docker could not bind it either.
      else if (error.code === 'EADDRNOTAVAIL')
        reject(new UserError(`this host has no address ${host} to publish port ${port} on; unset USUALSTORE_DB_PUBLISH_IPV6`));
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

async function checkPort(engine: Engine, container: ContainerInfo | undefined, options: PreflightOptions): Promise<string> {
  const { config, env } = options;
  const port = config.hostPort;
  if (container?.status === 'running' && container.hostPorts.includes(String(port)))
    return `port ${port} published by ${config.containerName}`;
  // A daemon on another machine publishes on that machine: this one's ports say nothing.
  if (!/^(unix|npipe):\/\//.test(engine.endpoint)) return `port ${port} not checked (Docker at ${engine.endpoint})`;
  for (const host of config.hostBindAddresses) {
    if (!(await portInUse(port, host))) continue;
    const others = containersPublishing(port, env).filter((n) => n !== config.containerName);
    const fix = `or deploy on another port with USUALSTORE_DB_HOST_PORT=${port === 65535 ? port - 1 : port + 1} npm run deploy`;
    if (others.length > 0)
      throw new UserError(
        `port ${port} is already published by container ${others.join(', ')}: stop it (docker stop ${others[0]}), ${fix}`,
      );
    throw new UserError(`port ${port} on ${host} is in use by another program (a local PostgreSQL?): stop it, ${fix}`);
  }
  return `port ${port} free`;
}

/** terraform.tfvars holds the password, and state files (of an older deploy, which put it in the
 * container's environment) may: owner-only. */
function restrictSecrets(projectDir: string): void {
  for (const name of fs.readdirSync(projectDir)) {
    if (!/^terraform\..*\.tfstate(\.backup)?$/.test(name) && name !== 'terraform.tfvars') continue;
    const file = path.join(projectDir, name);
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  }
}

/** The container's password file, written from the deploy's password (password-file.ts). */
function passwordFile(password: DeployPassword, options: PreflightOptions): string {
  if (password.value === undefined) {
    throw new UserError(
      `postgres_password in ${password.source} is not a plain string (a template or a heredoc): the deploy writes it to the container's password file, so give it as postgres_password = "…"`,
    );
  }
  const change = writePasswordFile(options.projectDir, password.value);
  if (change === 'changed')
    options.say(`preflight: wrote the new password to ${PASSWORD_FILE}; the container is replaced with it (its data volume stays)`);
  return `${PASSWORD_FILE} ${change}`;
}

export async function preflight(action: PreflightAction, options: PreflightOptions): Promise<void> {
  const password = deployPassword(options.projectDir, options.env);
  // Before anything else: Terraform reads the file's generation when it plans (destroy included).
  const written = passwordFile(password, options);
  const engine = engineInfo(options.env);
  restrictSecrets(options.projectDir);
  const found = [`Docker Engine ${engine.version} (API ${engine.apiVersion})`, written];
  if (action === 'deploy') {
    checkEngine(engine, options.config);
    found.push(await checkVolume(options));
    const container = inspectContainer(options.config.containerName, options.env);
    found.push(startIfStopped(container, options));
    if (container?.status === 'running') found.push(alignServerPassword(password, options));
    found.push(await checkPort(engine, container, options));
  }
  options.say(`preflight: ${found.join(', ')}: ready to ${action}`);
}
