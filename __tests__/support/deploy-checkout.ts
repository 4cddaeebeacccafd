/**
 * Deploying for real where the docker provider cannot be downloaded: a checkout whose cdktf.json
 * app is support/cut-app.ts (the real app, each docker resource then replaced by a stand-in:
 * terraform-json.ts), for `npm run deploy`; the real cdktf CLI runs plain checkouts through the
 * same stand-ins (checkout.ts's cdktf, the Terraform wrapper). In both, the migration hook and
 * the container's password step run for real, against a PostgreSQL 15 on the port the container
 * would publish (startDeployTarget).
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeCheckout } from './checkout';
import { startTestServer, type TestServer } from './test-server';
import { withClient } from './database';

export interface DeployTarget {
  /** The published port the stacks are configured with (USUALSTORE_DB_HOST_PORT). */
  port: number;
  /** The superuser's password: the deploy's password in terraform.tfvars. */
  password: string;
  server: TestServer;
  stop(): Promise<void>;
}

/** A PostgreSQL 15 of its own with the database the stacks deploy (usualstore), standing in for
 * the container's server on its published port. */
export async function startDeployTarget(): Promise<DeployTarget> {
  const server = await startTestServer();
  await withClient(server.url, (c) => c.query('CREATE DATABASE usualstore'));
  return { port: server.port, password: decodeURIComponent(new URL(server.url).password), server, stop: () => server.stop() };
}

/** terraform.tfvars as the README says to write it. */
export function writeTfvars(dir: string, password: string): void {
  fs.writeFileSync(path.join(dir, 'terraform.tfvars'), `postgres_password = "${password}"\n`, { mode: 0o600 });
}

/** A checkout whose app cuts docker out (for npm run deploy), its password set for `target`. */
export function makeDeployCheckout(label: string, target?: DeployTarget): string {
  const dir = makeCheckout(label);
  const cdktf = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.json'), 'utf8'));
  fs.writeFileSync(
    path.join(dir, 'cdktf.json'),
    JSON.stringify({ ...cdktf, app: `node --import tsx ${path.relative(dir, path.join(__dirname, 'cut-app.ts'))}` }),
  );
  if (target) writeTfvars(dir, target.password);
  return dir;
}

/** The environment of a deploy against `target`: its port, and Terraform with an empty CLI configuration. */
export function deployEnv(target?: DeployTarget): NodeJS.ProcessEnv {
  return { TF_CLI_CONFIG_FILE: '/dev/null', ...(target ? { USUALSTORE_DB_HOST_PORT: String(target.port) } : {}) };
}
