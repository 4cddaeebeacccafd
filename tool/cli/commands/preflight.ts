/**
 * `usualstore-db preflight deploy|destroy|wipe`: the checks `npm run deploy`, `npm run destroy`
 * and `npm run wipe` run before cdktf (tool/deploy/preflight.ts); exit 0 when it may go on.
 */
import { UserError } from '../../base/errors';
import { projectRoot } from '../../base/project';
import { loadConfig } from '../../../config/database';
import { preflight, type PreflightAction } from '../../deploy/preflight';
import { say } from '../output';
import type { CommandInput } from '../command';

const ACTIONS: readonly PreflightAction[] = ['deploy', 'destroy', 'wipe'];

export async function run(input: CommandInput): Promise<number> {
  const action = input.positionals[0] as PreflightAction;
  if (!ACTIONS.includes(action)) throw new UserError(`preflight needs what it checks for: ${ACTIONS.join(', ')}`);
  const config = loadConfig();
  await preflight(action, { projectDir: projectRoot(), config, env: process.env, say });
  return 0;
}
