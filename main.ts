/**
 * The cdktf app (cdktf.json runs it with `node --import tsx main.ts`: no build step). An
 * impossible configuration value is the user's to fix: one line on stderr and exit 1, not a
 * stack trace inside cdktf's output.
 */
import { App } from 'cdktf';
import { ConfigError, loadConfig } from './stacks/config';
import { addUsualstoreStacks } from './stacks/app';
import { volumeGuardLifted } from './stacks/volume-guard';

function synth(): void {
  // Everything that can be wrong is checked before new App(), which already creates cdktf.out.
  const config = loadConfig();
  const allowVolumeDestroy = volumeGuardLifted(config.volumeName);
  const app = new App();
  addUsualstoreStacks(app, { config, allowVolumeDestroy });
  app.synth();
}

try {
  synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`usualstore: ${error.message}\n`);
  process.exitCode = 1;
}
