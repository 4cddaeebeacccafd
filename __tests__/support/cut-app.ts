/**
 * A stand-in for cdktf.json's "app" in a checkout where Terraform must run for real: the real
 * app (main.ts) synthesizes, then the docker provider's parts are cut out of each stack
 * (terraform-json.ts), since the provider cannot be downloaded here. What the deploy does with
 * the result (init, apply, destroy per stack) is then the real thing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cutDocker } from './terraform-json';

const app = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], { stdio: 'inherit' });
if (app.status !== 0) process.exit(app.status ?? 1);
const stacks = path.join(process.env.CDKTF_OUTDIR ?? 'cdktf.out', 'stacks');
for (const stack of fs.readdirSync(stacks)) cutDocker(path.join(stacks, stack));
