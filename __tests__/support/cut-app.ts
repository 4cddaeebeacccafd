/**
 * A stand-in for cdktf.json's "app" in a checkout where Terraform must run for real: the real
 * app (main.ts) synthesizes, then each stack's docker resources are replaced by stand-ins
 * (terraform-json.ts), since the provider cannot be downloaded here. What the deploy does with
 * the result (init, apply, destroy per stack) is then the real thing. With
 * STAND_IN_PROVIDER=SOURCE@VERSION, each stack requires that provider in docker's place (the aws
 * plugin this machine has stands in for kreuzwerker/docker where a provider must be installed).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cutDocker } from './terraform-json';

const app = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], { stdio: 'inherit' });
if (app.status !== 0) process.exit(app.status ?? 1);
const stacks = path.join(process.env.CDKTF_OUTDIR ?? 'cdktf.out', 'stacks');
const standIn = process.env.STAND_IN_PROVIDER?.split('@');
for (const stack of fs.readdirSync(stacks))
  cutDocker(path.join(stacks, stack), (json) => {
    if (!standIn) return;
    const [source, version] = standIn;
    json.terraform.required_providers = { [source.split('/')[1]]: { source, version } };
  });
