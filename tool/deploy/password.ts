/**
 * The password a deploy hands to Terraform, found where Terraform will find it: terraform.tfvars
 * at the project root (the deploy scripts pass it as --var-file, which wins), otherwise
 * TF_VAR_postgres_password. Read here only to refuse a missing or placeholder password before
 * Terraform starts, and to compare it with the running server's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../base/errors';
import { PASSWORD_PLACEHOLDER } from '../../config/database';
import { hclStringVariable } from '../base/hcl';

export const PASSWORD_VARIABLE = 'postgres_password';

export interface DeployPassword {
  /** undefined when the file gives it in a form read only by Terraform (a template, a heredoc). */
  value: string | undefined;
  /** Where it comes from, for messages: "terraform.tfvars" or "TF_VAR_postgres_password". */
  source: string;
}

/** The deploy's password, or a one-line refusal when it is missing, empty or the placeholder. */
export function deployPassword(projectDir: string, env: NodeJS.ProcessEnv = process.env): DeployPassword {
  const file = path.join(projectDir, 'terraform.tfvars');
  let password: DeployPassword;
  if (fs.existsSync(file)) {
    const value = hclStringVariable(fs.readFileSync(file, 'utf8'), PASSWORD_VARIABLE);
    if (value === null) throw new UserError(`terraform.tfvars does not set ${PASSWORD_VARIABLE}; add the line ${PASSWORD_VARIABLE} = "…" (see terraform.tfvars.example)`);
    password = { value, source: 'terraform.tfvars' };
  } else if (env.TF_VAR_postgres_password !== undefined) {
    password = { value: env.TF_VAR_postgres_password, source: 'TF_VAR_postgres_password' };
  } else {
    throw new UserError(
      `terraform.tfvars not found; copy terraform.tfvars.example to terraform.tfvars and set ${PASSWORD_VARIABLE} (or export TF_VAR_postgres_password)`,
    );
  }
  if (password.value === '') throw new UserError(`${PASSWORD_VARIABLE} in ${password.source} is empty; set a real password`);
  if (password.value === PASSWORD_PLACEHOLDER) {
    throw new UserError(`${PASSWORD_VARIABLE} in ${password.source} is still the placeholder from terraform.tfvars.example; set a real password`);
  }
  return password;
}
