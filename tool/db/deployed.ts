/**
 * The database this project deploys, as a target: what commands use when no --database-url or
 * DATABASE_URL is given. Host, port, user and database come from the same config the stacks
 * declare; the password from where a user already keeps it (PGPASSWORD, which pg reads itself,
 * then terraform.tfvars, then TF_VAR_postgres_password: the deploy's order), never asked for again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { hclStringVariable } from '../base/hcl';
import { loadConfig } from '../../config/database';
import { resolveTarget, type DatabaseTarget } from './target';

export interface DeployedTarget {
  target: DatabaseTarget;
  /** Where the password comes from, for the line that says which target is used. */
  passwordSource: string;
}

export function deployedTarget(projectDir: string, env: NodeJS.ProcessEnv = process.env): DeployedTarget {
  const config = loadConfig(env);
  const address = config.hostBindAddresses[0];
  const url = new URL(`postgres://${address.includes(':') ? `[${address}]` : address}:${config.hostPort}/`);
  url.username = encodeURIComponent(config.user);
  url.pathname = `/${encodeURIComponent(config.database)}`;
  let passwordSource = 'PGPASSWORD';
  if (env.PGPASSWORD === undefined) {
    const tfvars = path.join(projectDir, 'terraform.tfvars');
    const fromFile = fs.existsSync(tfvars) ? hclStringVariable(fs.readFileSync(tfvars, 'utf8'), 'postgres_password') : null;
    // The order the deploy uses: terraform.tfvars (its --var-file wins), then TF_VAR_*.
    const password = fromFile ?? env.TF_VAR_postgres_password;
    passwordSource = typeof fromFile === 'string' ? 'terraform.tfvars' : password !== undefined ? 'TF_VAR_postgres_password' : 'none found';
    if (password !== undefined) url.password = encodeURIComponent(password);
  }
  return { target: resolveTarget({ databaseUrl: url.toString(), env }), passwordSource };
}
