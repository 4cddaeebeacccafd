/**
 * Throw-away copies of the cdktf app ("checkouts") under .test-out/ (git-ignored), so that tests
 * can synthesize from different paths, with their own terraform.tfvars and cdktf.out, without
 * touching the real project directory. node_modules is a symlink: installing is not under test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './cli';
import { runProcess, type RunResult } from './process';

export const TEST_OUT = path.join(PROJECT_ROOT, '.test-out');

/** What a clone has after `npm ci` to synthesize and deploy. */
// migrations/: the database stack hashes it at synth (the migration hook's triggers_replace).
// bin/ and dist/ (built by npm ci's prepare): the deploy scripts run usualstore-db preflight.
const APP_FILES = [
  'main.ts',
  'usualstore-db',
  'cdktf.json',
  'package.json',
  'tsconfig.json',
  'config',
  'tool',
  'stacks',
  'migrations',
  'scripts',
  'terraform.tfvars.example',
  'bin',
  'dist',
  '.squawk.toml',
  'migrations-lint.json',
  '.gitignore',
];

/** What the production app adds (its installed dependencies are linked, not copied). */
const PRODUCTION_FILES = [
  'production/main.ts',
  'production/stacks',
  'production/cdktf.json',
  'production/package.json',
  'production/tsconfig.json',
  'production.tfvars.example',
];

export function makeCheckout(label: string, options: { production?: boolean } = {}): string {
  fs.mkdirSync(TEST_OUT, { recursive: true });
  const dir = fs.mkdtempSync(path.join(TEST_OUT, `${label}-`));
  for (const file of [...APP_FILES, ...(options.production ? PRODUCTION_FILES : [])])
    fs.cpSync(path.join(PROJECT_ROOT, file), path.join(dir, file), { recursive: true });
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  if (options.production)
    fs.symlinkSync(path.join(PROJECT_ROOT, 'production', 'node_modules'), path.join(dir, 'production', 'node_modules'), 'dir');
  return dir;
}

export function removeCheckout(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * The environment for a subprocess: the test's own, minus anything that would change what is
 * synthesized or deployed (config overrides, the volume guard, Terraform variables), plus `env`.
 */
export function cleanEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0', NO_COLOR: '1' };
  for (const key of Object.keys(base)) if (/^(USUALSTORE_|TF_VAR_|TF_CLI_ARGS)/.test(key)) delete base[key];
  const merged = { ...base, ...env };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return merged;
}

export type { RunResult } from './process';

/** Runs a program with cleanEnv(env): what a user's shell would run, free of test leftovers. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<RunResult> {
  return runProcess(command, args, { ...options, env: cleanEnv(options.env) });
}

/** The real `cdktf synth` of a checkout, as `npm run synth` runs it. */
export function cdktfSynth(dir: string, env?: NodeJS.ProcessEnv): Promise<RunResult> {
  return cdktf(dir, ['synth'], env);
}

/** The Terraform the cdktf CLI runs in tests (TERRAFORM_BINARY_NAME): the real one, on each stack
 * with its docker resources replaced by stand-ins (terraform-json.ts), since the docker provider
 * cannot be downloaded here. */
export const TERRAFORM_WITHOUT_DOCKER = path.join(__dirname, 'terraform-without-docker.sh');

/** The real cdktf CLI in a checkout, as a user types it (`npx cdktf ARGS`), plain output. */
export function cdktf(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return run(path.join(dir, 'node_modules', '.bin', 'cdktf'), args, {
    cwd: dir,
    env: { CI: '1', TERRAFORM_BINARY_NAME: TERRAFORM_WITHOUT_DOCKER, ...env },
    timeoutMs: 240000,
  });
}

/** Every file under `dir`, by relative path, with its bytes. */
export function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else files.set(rel, fs.readFileSync(path.join(dir, rel)));
    }
  };
  walk('');
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}
