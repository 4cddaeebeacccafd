/**
 * The cdktf app (cdktf.json runs it with `node --import tsx main.ts`: no build step). An
 * impossible configuration value is the user's to fix: one line on stderr and exit 1, not a
 * stack trace inside cdktf's output.
 */
import fs from 'node:fs';
import { App } from 'cdktf';
import { loadConfig } from './config/database';
import { loadStateBackend } from './config/state-backend';
import { UserError } from './tool/base/errors';
import { addUsualstoreStacks } from './stacks/app';
import { checkedOutdir } from './stacks/stack-paths';
import { volumeGuardLifted } from './config/volume-guard';

function synth(): void {
  // Everything that can be wrong is checked before new App(), which already creates the output
  // directory (cdktf.json's "output", or `cdktf synth --output DIR`, handed over in CDKTF_OUTDIR).
  const config = loadConfig();
  const state = loadStateBackend(process.env, config);
  const allowVolumeDestroy = volumeGuardLifted(config.volumeName);
  const outdir = checkedOutdir(process.env.CDKTF_OUTDIR ?? 'cdktf.out');
  // App creates only the last level: --output build/synth needs build/ first.
  fs.mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir });
  addUsualstoreStacks(app, { config, allowVolumeDestroy, state });
  app.synth();
}

try {
  synth();
} catch (error) {
  // An impossible configuration value, a stray file in migrations/: the user's to fix.
  if (!(error instanceof UserError)) throw error;
  process.stderr.write(`usualstore: ${error.message}\n`);
  process.exitCode = 1;
}
