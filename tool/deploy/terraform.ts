/**
 * `npm run deploy` / `destroy` / `wipe` without the cdktf CLI (7-10 s of its own on a deploy that
 * changes nothing): synthesize by running the app as cdktf.json says (the synth makes the deploy's
 * checks: checks.ts), refuse in one line, before Terraform starts, what the stacks' preconditions
 * would refuse, then run Terraform itself in each stack's directory, in stack order (reverse for a
 * destroy), each line prefixed with the stack's name as cdktf prints it. `terraform init` runs only
 * when a stack has never been initialised or its providers or backend changed (a stamp of them,
 * kept in the stack's .terraform/); the lock file it writes is kept (config/provider-locks.ts).
 * `cdktf deploy` works the same for whoever types it: the same cdktf.out, state and refusals.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cdktfSettings } from '../base/cdktf-json';
import { UserError } from '../base/errors';
import { formatDuration } from '../base/text';
import type { DeployChecksReport } from '../../config/deploy-checks';
import { syncLockFile } from '../../config/provider-locks';
import { readDeployChecks } from './checks';

export type TerraformAction = 'deploy' | 'destroy';
/** What a refusal is judged for: a destroy is refused only what Terraform cannot do without. */
export type DeployAction = TerraformAction;

export interface TerraformRunOptions {
  projectDir: string;
  action: TerraformAction;
  stacks: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Lines of progress and of Terraform's output (stdout). */
  say: (line: string) => void;
  /** Lines the app and Terraform write to stderr. */
  relayError: (line: string) => void;
}

interface Sinks {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** A child's output, line by line, each with `prefix`, stdout and stderr apart; resolves with its
 * exit code and what it wrote to stderr. */
function runPrefixed(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, prefix: string, sinks: Sinks) {
  return new Promise<{ code: number; stderr: string }>((resolve, reject) => {
    let stderr = '';
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = (stream: NodeJS.ReadableStream, sink: (line: string) => void) => {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        for (const line of parts) sink(`${prefix}${line}`);
      });
      stream.on('end', () => {
        if (rest) sink(`${prefix}${rest}`);
      });
    };
    lines(child.stdout, sinks.out);
    lines(child.stderr, sinks.err);
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new UserError(`${command} is not on PATH: install it (Terraform 1.10 or later)`) : error),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

/** What `terraform init` depends on in a stack's JSON: its providers and its backend. */
function initStamp(stackDir: string): string {
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
    terraform?: { required_providers?: unknown; backend?: unknown };
  };
  return createHash('sha256')
    .update(JSON.stringify([json.terraform?.required_providers ?? null, json.terraform?.backend ?? null]))
    .digest('hex');
}

const STAMP_FILE = path.join('.terraform', 'usualstore-init.sha256');

interface StackJson {
  terraform?: { required_providers?: Record<string, { source?: string; version?: string }> };
}

function readStack(stackDir: string): StackJson {
  return JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as StackJson;
}

const usesDocker = (stack: StackJson) =>
  Object.values(stack.terraform?.required_providers ?? {}).some((p) => /docker$/.test(p.source ?? ''));

/**
 * What the synth's checks refuse `action`, a line each (none: it may go on). A deploy is refused
 * every stack's refusals, which are exactly what the stacks' preconditions refuse; any action is
 * refused when Docker does not answer and a stack needs it (Terraform's docker provider would fail
 * on it anyway, in many more lines).
 */
export function refusalsOf(report: DeployChecksReport, action: DeployAction, needsDocker = true): string[] {
  return [
    ...new Set([
      ...(needsDocker && !report.docker.reachable ? [report.docker.reason] : []),
      ...(action === 'deploy' ? Object.values(report.refusals).flat() : []),
    ]),
  ];
}

/** Refusals as the command ends with them: each its own line, the last one the error's. */
export function refuse(refusals: string[], relayError: (line: string) => void): void {
  if (refusals.length === 0) return;
  for (const line of refusals.slice(0, -1)) relayError(`usualstore-db: ${line}`);
  throw new UserError(refusals.at(-1)!);
}

/** A failed init as one line: a provider it could not fetch, named with the ways to give it
 * offline, or a package that does not match the kept lock file. */
export function describeInitFailure(stderr: string, stack: StackJson, stackDir: string, projectDir: string): string | undefined {
  const text = stderr.replace(/\s+/g, ' ');
  const providers = Object.values(stack.terraform?.required_providers ?? {});
  const named = providers.find((p) => p.source && text.includes(p.source.replace(/^registry\.terraform\.io\//, ''))) ?? providers[0];
  const provider = named ? `${named.source?.replace(/^registry\.terraform\.io\//, '')} ${named.version ?? ''}`.trim() : 'a provider';
  if (/doesn't match any of the checksums previously recorded in the dependency lock file/.test(text))
    return `the package of ${provider} does not match the hashes in the stack's kept lock file (locks/): a different build than the one reviewed; get it from the registry or a mirror made from it, or, after review, run terraform providers lock in ${path.relative(projectDir, stackDir)}`;
  if (
    !/Failed to query available provider packages|Failed to install provider|could not connect to registry|Could not retrieve the list of available versions/.test(
      text,
    )
  )
    return undefined;
  const why = /could not connect to ([\w.-]+)/.exec(text)?.[0] ?? 'the registry did not answer';
  return `could not fetch the provider ${provider} (${why}); give it offline: run terraform providers mirror DIR in ${path.relative(projectDir, stackDir)} on a machine that reaches the registry, bring DIR here and name it in the Terraform CLI configuration (TF_CLI_CONFIG_FILE) as provider_installation { filesystem_mirror { path = "DIR" } } (a plugin cache directory has the same layout and serves too; TF_PLUGIN_CACHE_DIR alone still asks the registry): see docs/deploy.md#providers-offline`;
}

function needsInit(stackDir: string, stamp: string): boolean {
  try {
    return fs.readFileSync(path.join(stackDir, STAMP_FILE), 'utf8').trim() !== stamp;
  } catch {
    return true;
  }
}

export async function runTerraform(options: TerraformRunOptions): Promise<void> {
  const started = performance.now();
  const { projectDir, say } = options;
  const sinks = { out: say, err: options.relayError };
  // Terraform's telemetry call fails on a closed network; plain output for logs; state and
  // plans written owner-only (they hold names and settings of what runs here).
  const env = { ...options.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  process.umask(0o077);
  const {
    app: [app, ...appArgs],
    outdir,
  } = cdktfSettings(projectDir);
  const { code: synthCode } = await runPrefixed(app, appArgs, projectDir, { ...env, CDKTF_OUTDIR: outdir }, '', sinks);
  if (synthCode !== 0) throw new UserError(`synth failed (exit ${synthCode}); nothing was deployed`, synthCode);

  const order = options.action === 'destroy' ? [...options.stacks].reverse() : options.stacks;
  const stacks = order.map((stack) => {
    const stackDir = path.join(outdir, 'stacks', stack);
    if (!fs.existsSync(path.join(stackDir, 'cdk.tf.json'))) throw new UserError(`the app synthesized no stack ${stack}`);
    return { stack, stackDir, json: readStack(stackDir) };
  });
  // What the stacks' preconditions would refuse, refused before any Terraform output.
  const report = readDeployChecks(outdir);
  if (report) {
    refuse(
      refusalsOf(
        report,
        options.action,
        stacks.some((s) => usesDocker(s.json)),
      ),
      options.relayError,
    );
    say(`checks: ${report.found.join(', ')}: ready to ${options.action}`);
  }
  const done: string[] = [];
  for (const { stack, stackDir, json } of stacks) {
    const prefix = `${stack}  `;
    const stamp = initStamp(stackDir);
    if (needsInit(stackDir, stamp)) {
      const init = await runPrefixed('terraform', ['init', '-input=false', '-no-color'], stackDir, env, prefix, sinks);
      if (init.code !== 0) {
        // A new backend (USUALSTORE_STATE_*): the state must be moved, deliberately, not here.
        const why = /Backend configuration changed/.test(init.stderr)
          ? `its state backend changed; move the state with terraform -chdir=${path.relative(projectDir, stackDir)} init -migrate-state (or -reconfigure to leave it behind), then deploy again`
          : describeInitFailure(init.stderr, json, stackDir, projectDir);
        throw new UserError(
          `terraform init of ${stack} failed (exit ${init.code})${why ? `: ${why}` : ''}; ${describeDone(done, options.action)}`,
          init.code,
        );
      }
      fs.writeFileSync(path.join(stackDir, STAMP_FILE), `${stamp}\n`);
      // The lock file this init wrote or confirmed: kept where git shows it.
      syncLockFile(projectDir, stack, stackDir);
    }
    const verb = options.action === 'destroy' ? 'destroy' : 'apply';
    const { code } = await runPrefixed('terraform', [verb, '-auto-approve', '-input=false', '-no-color'], stackDir, env, prefix, sinks);
    if (code !== 0)
      throw new UserError(
        `terraform ${verb} of ${stack} failed (exit ${code}; its output is above); ${describeDone(done, options.action)}`,
        code,
      );
    done.push(stack);
  }
  say(`${options.action === 'destroy' ? 'destroyed' : 'deployed'} ${done.join(', ')} in ${formatDuration(performance.now() - started)}`);
}

function describeDone(done: string[], action: TerraformAction): string {
  return done.length === 0
    ? 'no stack was changed before it'
    : `${done.join(', ')} ${action === 'destroy' ? 'destroyed' : 'deployed'} before it`;
}
