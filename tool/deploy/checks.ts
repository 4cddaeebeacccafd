/**
 * The deploy's checks, made by the app's synth (main.ts) so that every cdktf command, and
 * whatever runs Terraform on what it synthesized, gets them (config/deploy-checks.ts says how the
 * stacks read them):
 * - the password setting is usable (set, not empty, not the example's placeholder, a plain
 *   string), and the container's password file (.secrets/postgres-password, which Terraform
 *   uploads into a new container and the migration hook reads) is written from it;
 * - when Docker answers (DOCKER_HOST and contexts as the docker CLI honours them): its API version
 *   can create the container as configured; the data volume the data stack's state records still
 *   exists (Docker re-creates a deleted volume empty without a word, and a deploy would then report
 *   success on an empty database); the host port is free, or published by this project's container.
 * Read-only but for the password file (and making terraform.tfvars owner-only), and quiet where
 * Docker does not answer: a synth in a pull-request check, with no Docker and no password, checks
 * nothing, says nothing and writes the same JSON.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ConfigError, requiredDockerApi, type DatabaseConfig } from '../../config/database';
import { CHECKS_REPORT_FILE, NEW_EMPTY_VOLUME_VARIABLE, REFUSALS_FILE, type DeployChecksReport } from '../../config/deploy-checks';
import { NO_PASSWORD_FILE, PASSWORD_FILE } from '../../config/deploy-password';
import { isLocalStateFile, loadStateBackend } from '../../config/state-backend';
import { DATA_STACK_NAME, DATABASE_STACK_NAME } from '../../config/stacks';
import { UserError } from '../base/errors';
import { apiAtLeast, containersPublishing, engineInfo, inspectContainer, volumeExists, type Engine } from './docker';
import { deployPassword } from './password';
import { writePasswordFile } from './password-file';
import { volumesInStackState } from './terraform-state';

export interface CheckOptions {
  projectDir: string;
  config: DatabaseConfig;
  env: NodeJS.ProcessEnv;
}

function engineRefusal(engine: Engine, config: DatabaseConfig): string | undefined {
  const required = requiredDockerApi(config);
  if (apiAtLeast(engine.apiVersion, required.version)) return undefined;
  return `Docker Engine ${engine.version} (API ${engine.apiVersion}) is too old: ${required.reason} (API ${required.version}); upgrade Docker${required.version === '1.41' ? '' : ', or unset the variable named'}`;
}

/** USUALSTORE_NEW_EMPTY_VOLUME: unset, or exactly the volume's name (anything else is a mistake
 * that must not pass as "no"). */
function newEmptyVolumeAsked(name: string, env: NodeJS.ProcessEnv): boolean {
  const asked = env[NEW_EMPTY_VOLUME_VARIABLE];
  if (asked === undefined || asked === '') return false;
  if (asked !== name)
    throw new ConfigError(
      `${NEW_EMPTY_VOLUME_VARIABLE} must be exactly the volume name "${name}" to create it anew, empty (got ${JSON.stringify(asked)})`,
    );
  return true;
}

/** What became of the volume: found in words, or the refusal when Docker lost it. */
async function checkVolume(options: CheckOptions, asked: boolean): Promise<{ found: string; refusal?: string }> {
  const { config, env, projectDir } = options;
  const name = config.volumeName;
  if (volumeExists(name, env)) return { found: `volume ${name} present` };
  let recorded: string[] | undefined;
  try {
    recorded = await volumesInStackState(projectDir, DATA_STACK_NAME, loadStateBackend(env, config), env);
  } catch (error) {
    // Where the state cannot be read, neither can Terraform: its own error will say so.
    if (!(error instanceof UserError)) throw error;
    return { found: `volume ${name} to be created (the state was not read: ${error.message})` };
  }
  if (recorded === undefined) return { found: `volume ${name} to be created (not checked against the state in S3)` };
  if (!recorded.includes(name)) return { found: `volume ${name} to be created` };
  if (asked) return { found: `volume ${name} to be created anew, EMPTY, as asked (${NEW_EMPTY_VOLUME_VARIABLE})` };
  return {
    found: `volume ${name} lost`,
    refusal: `the data volume ${name} that this project created no longer exists in Docker (deleted outside Terraform: docker volume rm, docker system prune --volumes, or a Docker Desktop reset), so its data is gone; to start with an empty database on purpose deploy with ${NEW_EMPTY_VOLUME_VARIABLE}=${name} set, then restore a backup with ./usualstore-db restore FILE`,
  };
}

function portInUse(port: number, host: string): Promise<boolean | 'no-such-address'> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(true);
      else if (error.code === 'EADDRNOTAVAIL') resolve('no-such-address');
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

async function checkPort(engine: Engine, options: CheckOptions): Promise<{ found: string; refusal?: string }> {
  const { config, env } = options;
  const port = config.hostPort;
  const container = inspectContainer(config.containerName, env);
  if (container?.status === 'running' && container.hostPorts.includes(String(port)))
    return { found: `port ${port} published by ${config.containerName}` };
  // A daemon on another machine publishes on that machine: this one's ports say nothing.
  if (!/^(unix|npipe):\/\//.test(engine.endpoint)) return { found: `port ${port} not checked (Docker at ${engine.endpoint})` };
  for (const host of config.hostBindAddresses) {
    const inUse = await portInUse(port, host);
    if (inUse === 'no-such-address')
      return {
        found: `no address ${host}`,
        refusal: `this host has no address ${host} to publish port ${port} on; unset USUALSTORE_DB_PUBLISH_IPV6`,
      };
    if (!inUse) continue;
    const others = containersPublishing(port, env).filter((n) => n !== config.containerName);
    const fix = `or deploy on another port with USUALSTORE_DB_HOST_PORT=${port === 65535 ? port - 1 : port + 1} set`;
    const refusal =
      others.length > 0
        ? `port ${port} is already published by container ${others.join(', ')}: stop it (docker stop ${others[0]}), ${fix}`
        : `port ${port} on ${host} is in use by another program (a local PostgreSQL?): stop it, ${fix}`;
    return { found: `port ${port} busy`, refusal };
  }
  return { found: `port ${port} free` };
}

/** terraform.tfvars holds the password, and state files of an older deploy (which put it in the
 * container's environment) may: owner-only. */
function restrictSecrets(projectDir: string): void {
  for (const name of fs.readdirSync(projectDir)) {
    if (!isLocalStateFile(name) && name !== 'terraform.tfvars') continue;
    const file = path.join(projectDir, name);
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  }
}

export async function runDeployChecks(options: CheckOptions): Promise<DeployChecksReport> {
  const { config, env, projectDir } = options;
  const refusals: Record<string, string[]> = { [DATA_STACK_NAME]: [], [DATABASE_STACK_NAME]: [] };
  const found: string[] = [];
  const asked = newEmptyVolumeAsked(config.volumeName, env);

  // Docker or not: the container's password file is Terraform's input at plan time.
  const password = deployPassword(projectDir, env);
  if ('refusal' in password) refusals[DATABASE_STACK_NAME].push(password.refusal);
  else if ('kept' in password) found.push(`${PASSWORD_FILE} kept (no password setting)`);
  else {
    found.push(`${PASSWORD_FILE} ${writePasswordFile(projectDir, password.value)} from ${password.source}`);
    restrictSecrets(projectDir);
  }

  let engine: Engine;
  try {
    engine = engineInfo(env);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { docker: { reachable: false, reason: error.message }, found, refusals };
  }
  found.unshift(`Docker Engine ${engine.version} (API ${engine.apiVersion})`);
  const tooOld = engineRefusal(engine, config);
  if (tooOld) refusals[DATABASE_STACK_NAME].push(tooOld);
  for (const [stack, check] of [
    [DATA_STACK_NAME, await checkVolume(options, asked)],
    [DATABASE_STACK_NAME, await checkPort(engine, options)],
  ] as const) {
    found.push(check.found);
    if (check.refusal) refusals[stack].push(check.refusal);
  }
  return {
    docker: { reachable: true, version: engine.version, apiVersion: engine.apiVersion, endpoint: engine.endpoint },
    found,
    refusals,
  };
}

/**
 * Each synthesized stack's refusals beside its JSON (none: no file), and the report. A missing
 * password file is Terraform's own check (the container's fileexists() precondition), made when
 * it plans: written here too, the line would go stale the moment the file is written.
 */
export function writeDeployChecks(outdir: string, report: DeployChecksReport): void {
  for (const [stack, refusals] of Object.entries(report.refusals)) {
    const stackDir = path.join(outdir, 'stacks', stack);
    if (!fs.existsSync(stackDir)) continue;
    const file = path.join(stackDir, REFUSALS_FILE);
    const lines = refusals.filter((line) => line !== NO_PASSWORD_FILE);
    if (lines.length) fs.writeFileSync(file, `${lines.join('\n')}\n`);
    else fs.rmSync(file, { force: true });
  }
  fs.writeFileSync(path.join(outdir, CHECKS_REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`);
}

/** What the last synth into `outdir` found; undefined when it made no checks (another app). */
export function readDeployChecks(outdir: string): DeployChecksReport | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(outdir, CHECKS_REPORT_FILE), 'utf8')) as DeployChecksReport;
  } catch {
    return undefined;
  }
}

/** A stack's refusals as Terraform reads them (the lines of its REFUSALS_FILE). */
export function stackRefusals(stackDir: string): string[] {
  try {
    return fs
      .readFileSync(path.join(stackDir, REFUSALS_FILE), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
  } catch {
    return [];
  }
}
