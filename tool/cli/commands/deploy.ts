/**
 * `usualstore-db deploy` and `destroy` (npm run deploy, destroy; wipe through scripts/wipe.sh):
 * the preflight, then the app synthesized and Terraform run per stack (tool/deploy/terraform.ts).
 */
import { UserError } from '../../base/errors';
import { projectRoot } from '../../base/project';
import { loadConfig } from '../../../config/database';
import { DATABASE_STACK_NAME, STACK_ORDER } from '../../../config/stacks';
import { volumeGuardLifted } from '../../../config/volume-guard';
import { preflight, type PreflightAction } from '../../deploy/preflight';
import { runTerraform } from '../../deploy/terraform';
import { relayError, say } from '../output';
import type { CommandInput } from '../command';
import { flag } from '../values';

/** wipe.sh has run `preflight wipe` itself, before asking for the volume's name. */
const PREFLIGHT_DONE = 'USUALSTORE_PREFLIGHT_DONE';

async function checked(action: PreflightAction): Promise<void> {
  if (process.env[PREFLIGHT_DONE]) return;
  await preflight(action, { projectDir: projectRoot(), config: loadConfig(), env: process.env, say });
}

export async function deploy(): Promise<number> {
  await checked('deploy');
  await runTerraform({ projectDir: projectRoot(), action: 'deploy', stacks: STACK_ORDER, env: process.env, say, relayError });
  return 0;
}

export async function destroy(input: CommandInput): Promise<number> {
  const withData = flag(input, 'with-data');
  // The guard the synth itself reads (config/volume-guard.ts): lifted only by wipe.sh.
  if (withData && !volumeGuardLifted(loadConfig().volumeName))
    throw new UserError(
      'destroy --with-data deletes the data volume and every row in it: run npm run wipe, which asks for the volume name first',
    );
  await checked(withData ? 'wipe' : 'destroy');
  // Without --with-data only the database stack goes: the volume, in its own stack, stays.
  await runTerraform({
    projectDir: projectRoot(),
    action: 'destroy',
    stacks: withData ? STACK_ORDER : [DATABASE_STACK_NAME],
    env: process.env,
    say,
    relayError,
  });
  return 0;
}
