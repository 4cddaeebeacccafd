/**
 * Where the deploy's postgres_password is: terraform.tfvars at the project root (it wins, as a
 * var-file wins in Terraform), else TF_VAR_postgres_password. Terraform itself never reads it (no
 * stack declares the variable): one reading for the deploy's checks (which refuse a missing or
 * placeholder password and write the container's password file from it) and for the command's
 * default database (which connects with it). Reads the file only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { hclStringVariable } from '../tool/base/hcl';

export const PASSWORD_VARIABLE = 'postgres_password';
export const TFVARS_FILE = 'terraform.tfvars';

/**
 * The container's password file: written by the deploy's checks (every synth) from the setting above
 * (owner-only, git-ignored, relative to the project), copied into the container by Terraform
 * at creation (docker_container's upload `source`, which keeps only the path and source_hash in
 * the state) and read by the postgres image through POSTGRES_PASSWORD_FILE. The generation file
 * beside it holds a random id that changes whenever the password does: the upload's source_hash,
 * so a new password replaces the container while the state learns nothing about it.
 */
export const SECRETS_DIR = '.secrets';
export const PASSWORD_FILE = `${SECRETS_DIR}/postgres-password`;
export const PASSWORD_GENERATION_FILE = `${SECRETS_DIR}/postgres-password.generation`;
/**
 * No password for the container: neither setting is there, nor the file an earlier deploy wrote.
 * Refused by the container's precondition (stacks/constructs/postgres-container.ts) and by the
 * synth's checks, in these words. cdktf hands the app no TF_VAR_ variable.
 */
export const NO_PASSWORD_FILE = `no password for the database container (${PASSWORD_FILE} is not there): copy terraform.tfvars.example to terraform.tfvars, set postgres_password and deploy again (cdktf hands the app no TF_VAR_ variable: TF_VAR_postgres_password works with npm run deploy only)`;

/** Where the upload lands inside the container (root-owned, 0400: the entrypoint reads it as root). */
export const CONTAINER_PASSWORD_FILE = '/run/secrets/postgres-password';

export interface DeployPasswordSetting {
  /** undefined when the file gives it in a form only Terraform evaluates (a template, a heredoc). */
  value: string | undefined;
  source: 'terraform.tfvars' | 'TF_VAR_postgres_password';
}

/** The setting, or undefined when neither sets it (`fileWithout`: the file exists without it). */
export function deployPasswordSetting(projectDir: string, env: NodeJS.ProcessEnv): DeployPasswordSetting | undefined {
  const file = path.join(projectDir, TFVARS_FILE);
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  const fromFile = text === undefined ? null : hclStringVariable(text, PASSWORD_VARIABLE);
  if (fromFile !== null) return { value: fromFile, source: 'terraform.tfvars' };
  const fromEnv = env.TF_VAR_postgres_password;
  return fromEnv === undefined ? undefined : { value: fromEnv, source: 'TF_VAR_postgres_password' };
}
