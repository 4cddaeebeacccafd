/**
 * A checkout whose deploy runs the real Terraform: cdktf.json's app is support/cut-app.ts (the real
 * app, the docker provider cut out), the container's password file written as the preflight
 * writes it, and the preflight itself marked done (it needs a Docker daemon; preflight.spec.ts
 * tests it against one).
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeCheckout } from './checkout';
import { writePasswordFile } from '../../tool/deploy/password-file';

export function makeDeployCheckout(label: string): string {
  const dir = makeCheckout(label);
  const cdktf = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.json'), 'utf8'));
  fs.writeFileSync(
    path.join(dir, 'cdktf.json'),
    JSON.stringify({ ...cdktf, app: `node --import tsx ${path.relative(dir, path.join(__dirname, 'cut-app.ts'))}` }),
  );
  writePasswordFile(dir, 'not-under-test');
  return dir;
}

/** The environment of a deploy in such a checkout. */
export const DEPLOY_ENV: NodeJS.ProcessEnv = { USUALSTORE_PREFLIGHT_DONE: '1', TF_CLI_CONFIG_FILE: '/dev/null' };
