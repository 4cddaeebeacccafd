/**
 * The password a deploy hands to Terraform (config/deploy-password.ts says where it is), checked
 * before Terraform starts: a missing, empty or placeholder password is refused in one line, and
 * the preflight compares it with the running server's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../base/errors';
import { PASSWORD_PLACEHOLDER } from '../../config/database';
import { deployPasswordSetting, PASSWORD_VARIABLE, TFVARS_FILE, type DeployPasswordSetting } from '../../config/deploy-password';

export type DeployPassword = DeployPasswordSetting;

/** The deploy's password, or a one-line refusal when it is missing, empty or the placeholder. */
export function deployPassword(projectDir: string, env: NodeJS.ProcessEnv = process.env): DeployPassword {
  const setting = deployPasswordSetting(projectDir, env);
  // A terraform.tfvars without the variable is a mistake even where TF_VAR_ would fill in.
  if (fs.existsSync(path.join(projectDir, TFVARS_FILE)) && setting?.source !== 'terraform.tfvars') {
    throw new UserError(
      `terraform.tfvars does not set ${PASSWORD_VARIABLE}; add the line ${PASSWORD_VARIABLE} = "…" (see terraform.tfvars.example)`,
    );
  }
  if (!setting) {
    throw new UserError(
      `terraform.tfvars not found; copy terraform.tfvars.example to terraform.tfvars and set ${PASSWORD_VARIABLE} (or export TF_VAR_postgres_password)`,
    );
  }
  if (setting.value === '') throw new UserError(`${PASSWORD_VARIABLE} in ${setting.source} is empty; set a real password`);
  if (setting.value === PASSWORD_PLACEHOLDER) {
    throw new UserError(
      `${PASSWORD_VARIABLE} in ${setting.source} is still the placeholder from terraform.tfvars.example; set a real password`,
    );
  }
  return setting;
}
