/**
 * Whether the deploy can use its password setting (config/deploy-password.ts says where it is):
 * a missing, empty, placeholder or template password is one line of refusal, made by the synth's
 * checks (checks.ts) and so refused by every way of deploying.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PASSWORD_PLACEHOLDER } from '../../config/database';
import {
  deployPasswordSetting,
  NO_PASSWORD_FILE,
  PASSWORD_FILE,
  PASSWORD_VARIABLE,
  TFVARS_FILE,
  type DeployPasswordSetting,
} from '../../config/deploy-password';

export type DeployPassword =
  /** A password to write into the container's password file. */
  | { readonly value: string; readonly source: DeployPasswordSetting['source'] }
  /** None set, and the password file an earlier deploy wrote is still there: it stays in use. */
  | { readonly kept: true }
  | { readonly refusal: string };

export function deployPassword(projectDir: string, env: NodeJS.ProcessEnv = process.env): DeployPassword {
  const setting = deployPasswordSetting(projectDir, env);
  // A terraform.tfvars without the variable is a mistake even where TF_VAR_ would fill in.
  if (fs.existsSync(path.join(projectDir, TFVARS_FILE)) && setting?.source !== 'terraform.tfvars') {
    return {
      refusal: `${TFVARS_FILE} does not set ${PASSWORD_VARIABLE}; add the line ${PASSWORD_VARIABLE} = "…" (see terraform.tfvars.example)`,
    };
  }
  if (!setting) return fs.existsSync(path.join(projectDir, PASSWORD_FILE)) ? { kept: true } : { refusal: NO_PASSWORD_FILE };
  if (setting.value === undefined) {
    return {
      refusal: `${PASSWORD_VARIABLE} in ${setting.source} is not a plain string (a template or a heredoc): the deploy writes it to the container's password file, so give it as ${PASSWORD_VARIABLE} = "…"`,
    };
  }
  if (setting.value === '') return { refusal: `${PASSWORD_VARIABLE} in ${setting.source} is empty; set a real password` };
  if (setting.value === PASSWORD_PLACEHOLDER) {
    return {
      refusal: `${PASSWORD_VARIABLE} in ${setting.source} is still the placeholder from terraform.tfvars.example; set a real password`,
    };
  }
  return { value: setting.value, source: setting.source };
}
