/**
 * `usualstore-db preflight deploy|destroy|wipe`: the checks `npm run deploy`, `npm run destroy`
 * and `npm run wipe` run before cdktf (tool/deploy/preflight.ts); exit 0 when it may go on.
 */
import { ConfigError, loadConfig } from '../../../config/database';
import { preflight as runPreflight, type PreflightAction } from '../../deploy/preflight';
import { projectRoot } from '../../migrator/files';
import { UserError } from '../../base/errors';
import { parseOptions } from '../options';
import { say } from '../output';

const ACTIONS: readonly PreflightAction[] = ['deploy', 'destroy', 'wipe'];

export async function preflight(args: string[]): Promise<number> {
  const { positionals } = parseOptions('preflight', args, {}, 1);
  const action = positionals[0] as PreflightAction | undefined;
  if (!action || !ACTIONS.includes(action)) throw new UserError(`preflight needs what it checks for: ${ACTIONS.join(', ')}`);
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(error.message);
    throw error;
  }
  await runPreflight(action, { projectDir: projectRoot(), config, env: process.env, say });
  return 0;
}
