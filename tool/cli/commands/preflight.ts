/**
 * `usualstore-db preflight deploy|destroy|wipe`: the checks the synth makes for every deploy
 * (tool/deploy/checks.ts), made here and now, with what they found; exit 0 when the action may
 * go on. npm run wipe runs it before it asks anything.
 */
import { UserError } from '../../base/errors';
import { projectRoot } from '../../base/project';
import { loadConfig } from '../../../config/database';
import { runDeployChecks } from '../../deploy/checks';
import { refuse, refusalsOf } from '../../deploy/terraform';
import { relayError, say } from '../output';
import type { InputOf } from '../options';

const ACTIONS: readonly string[] = ['deploy', 'destroy', 'wipe'];

export async function run(input: InputOf<'preflight'>): Promise<number> {
  const action = input.positionals[0];
  if (!ACTIONS.includes(action)) throw new UserError(`preflight needs what it checks for: ${ACTIONS.join(', ')}`);
  const report = await runDeployChecks({ projectDir: projectRoot(), config: loadConfig(), env: process.env });
  refuse(refusalsOf(report, action === 'deploy' ? 'deploy' : 'destroy'), relayError);
  say(`preflight: ${report.found.join(', ')}: ready to ${action}`);
  return 0;
}
