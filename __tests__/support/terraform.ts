/**
 * Terraform as the tests run it, the one way: the real binary on PATH, non-interactive, without
 * colour, with an empty CLI configuration (the tests need only providers they bring themselves,
 * and a TF_CLI_CONFIG_FILE naming a missing file, as on this machine, adds a warning to stderr).
 */
import { run, type RunResult } from './checkout';

/** The environment every test's Terraform gets (before its own). */
export const TERRAFORM_ENV: NodeJS.ProcessEnv = { TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: '/dev/null' };

/** Commands that would ask for input, and the commands that colour their output. */
const ASKS = new Set(['init', 'plan', 'apply', 'destroy', 'import', 'refresh']);
const COLOURS = new Set([...ASKS, 'show', 'output', 'validate', 'test']);

export interface TerraformOptions {
  env?: NodeJS.ProcessEnv;
  /** @default 120000 */
  timeoutMs?: number;
}

/** `terraform ARGS` in `cwd`; the flags go right after the command (before its positionals,
 * where Terraform's flag parsing stops). */
export function terraform(cwd: string, args: string[], options: TerraformOptions = {}): Promise<RunResult> {
  const [command, ...rest] = args;
  const flags = [...(ASKS.has(command) ? ['-input=false'] : []), ...(COLOURS.has(command) ? ['-no-color'] : [])];
  return run('terraform', [command, ...flags, ...rest], {
    cwd,
    env: { ...TERRAFORM_ENV, ...options.env },
    timeoutMs: options.timeoutMs ?? 120000,
  });
}
