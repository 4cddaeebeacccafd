/**
 * The cdktf app (cdktf.json runs it with `node --import tsx main.ts`: no build step). Every cdktf
 * command runs it first, and so does npm run deploy: it also makes the deploy's checks
 * (tool/deploy/checks.ts) and writes what they refuse beside each stack, where the stacks'
 * preconditions read it. An impossible configuration value is the user's to fix: one line on
 * stderr and exit 1, not a stack trace inside cdktf's output.
 */
import fs from 'node:fs';
import { App } from 'cdktf';
import { loadConfig } from './config/database';
import { loadStateBackend } from './config/state-backend';
import { appOutdir } from './tool/base/cdktf-json';
import { UserError } from './tool/base/errors';
import { projectRoot } from './tool/base/project';
import { runDeployChecks, writeDeployChecks } from './tool/deploy/checks';
import { addUsualstoreStacks } from './stacks/app';
import { checkedOutdir } from './stacks/stack-paths';
import { synthApp } from './stacks/synth';
import { volumeGuardLifted } from './config/volume-guard';

async function synth(): Promise<void> {
  // Everything that can be wrong is checked before new App(), which already creates the output
  // directory (cdktf.json's "output", or `cdktf synth --output DIR`, handed over in CDKTF_OUTDIR).
  const config = loadConfig();
  const state = loadStateBackend(process.env, config);
  const allowVolumeDestroy = volumeGuardLifted(config.volumeName);
  const outdir = checkedOutdir(appOutdir(projectRoot()));
  const checks = await runDeployChecks({ projectDir: projectRoot(), config, env: process.env });
  // App creates only the last level: --output build/synth needs build/ first.
  fs.mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir });
  addUsualstoreStacks(app, { config, allowVolumeDestroy, state });
  synthApp(app, projectRoot());
  writeDeployChecks(outdir, checks);
}

synth().catch((error: unknown) => {
  // An impossible configuration value, a stray file in migrations/: the user's to fix.
  if (!(error instanceof UserError)) throw error;
  process.stderr.write(`usualstore: ${error.message}\n`);
  process.exitCode = 1;
});
