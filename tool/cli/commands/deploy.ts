/**
 * `usualstore-db deploy` and `destroy` (npm run deploy, destroy; wipe through scripts/wipe.sh):
 * the preflight, then the app synthesized and Terraform run per stack (tool/deploy/terraform.ts).
 */
import { UserError } from '../../base/errors';
import { projectRoot } from '../../base/project';
import { loadConfig } from '../../../config/database';
import { DATABASE_STACK_NAME, STACK_ORDER } from '../../../config/stacks';
import { preflight, type PreflightAction } from '../../deploy/preflight';
import { runTerraform } from '../../deploy/terraform';
import { relayError, say } from '../output';
import type { CommandInput } from '../command';
import { flag } from '../values';

/** wipe.sh has run `preflight wipe` itself, before asking for the volume's name. */
const PREFLIGHT_DONE = 'USUALSTORE_PREFLIGHT_DONE';
/** The volume guard's variable (stacks/volume-guard.ts), which only wipe.sh sets. */
const VOLUME_GUARD = 'USUALSTORE_ALLOW_VOLUME_DESTROY';

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
  if (withData && process.env[VOLUME_GUARD] !== loadConfig().volumeName)
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
