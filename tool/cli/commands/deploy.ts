/**
 * `usualstore-db deploy` and `destroy` (npm run deploy, destroy; wipe through scripts/wipe.sh):
 * the app synthesized (which makes the deploy's checks), then Terraform run per stack
 * (tool/deploy/terraform.ts).
 */
import { UserError } from '../../base/errors';
import { projectRoot } from '../../base/project';
import { loadConfig } from '../../../config/database';
import { DATABASE_STACK_NAME, STACK_ORDER } from '../../../config/stacks';
import { volumeGuardLifted } from '../../../config/volume-guard';
import { runTerraform } from '../../deploy/terraform';
import { relayError, say } from '../output';
import type { InputOf } from '../options';

export async function deploy(): Promise<number> {
  await runTerraform({ projectDir: projectRoot(), action: 'deploy', stacks: STACK_ORDER, env: process.env, say, relayError });
  return 0;
}

export async function destroy(input: InputOf<'destroy'>): Promise<number> {
  const withData = input.values['with-data'];
  // The guard the synth itself reads (config/volume-guard.ts): lifted only by wipe.sh.
  if (withData && !volumeGuardLifted(loadConfig().volumeName))
    throw new UserError(
      'destroy --with-data deletes the data volume and every row in it: run npm run wipe, which asks for the volume name first',
    );
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
