/**
 * `usualstore-db password sync`, which the database stack runs once it has created the container
 * (stacks/database-stack.ts), whoever runs Terraform. The postgres image applies its password file
 * only when it creates the database, so a new container on a volume that already holds one (a
 * changed password replaces the container; so does a reset) keeps the password that database was
 * created with. This tries the deploy's password over TCP, as every client will, and when the
 * server refuses it, sets it over the container's local socket (trusted by the postgres image) as
 * a SCRAM verifier: the password itself never reaches the server, so no server log can hold it.
 */
import { UserError } from '../base/errors';
import type { DatabaseConfig } from '../../config/database';
import { ConnectionError, disconnect, isDeployedDatabase, waitForServer, type DatabaseTarget } from '../db';
import { docker } from './docker';
import { scramVerifier } from './scram';

export interface PasswordSyncOptions {
  config: DatabaseConfig;
  env: NodeJS.ProcessEnv;
  /** How long to wait for the server to accept connections. */
  waitMs: number;
  say: (line: string) => void;
  sayWait: (line: string) => void;
}

async function accepted(target: DatabaseTarget, options: PasswordSyncOptions): Promise<boolean> {
  try {
    await disconnect(await waitForServer(target, { timeoutMs: options.waitMs, onWait: options.sayWait }));
    return true;
  } catch (error) {
    if (error instanceof ConnectionError && error.code === '28P01') return false;
    throw error;
  }
}

export async function syncServerPassword(target: DatabaseTarget, options: PasswordSyncOptions): Promise<void> {
  const { config, env } = options;
  if (!isDeployedDatabase(target, config))
    throw new UserError(
      `password sync sets the password of this project's container (${config.user} on port ${config.hostPort} of this machine); ${target.origin} names ${target.label}`,
    );
  if (target.password === undefined) throw new UserError(`password sync needs the deploy's password; none was given for ${target.label}`);
  if (await accepted(target, options)) {
    options.say(`password of ${target.user} matches the server (${target.passwordSource})`);
    return;
  }
  const name = config.containerName;
  const role = `"${target.user.replace(/"/g, '""')}"`;
  const change = docker(['exec', '-i', name, 'psql', '-w', '-U', target.user, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-Atq'], {
    env,
    input: `ALTER ROLE ${role} PASSWORD '${scramVerifier(target.password)}';\n`,
  });
  if (change.status !== 0) {
    throw new UserError(
      `the server refuses the deploy's password for ${target.user} (it keeps the one its database was created with) and it could not be changed through docker exec ${name} (${change.stderr.trim().split('\n')[0] || `exit ${change.status}`}): connect with the old password and run ALTER ROLE ${target.user} PASSWORD '…', then deploy again`,
    );
  }
  if (!(await accepted(target, options)))
    throw new UserError(
      `set the password of ${target.user} through docker exec ${name}, but the server still refuses it at ${target.label}`,
    );
  options.say(
    `set the password of ${target.user} on the server to the deploy's (${target.passwordSource}): the database kept the one it was created with`,
  );
}
