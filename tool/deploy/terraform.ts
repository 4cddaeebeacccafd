/**
 * `npm run deploy` / `destroy` / `wipe` without the cdktf CLI (deprecated, and 7-10 s of its own
 * on a deploy that changes nothing): synthesize by running the app as cdktf.json says, then run
 * Terraform itself in each stack's directory, in stack order (reverse for a destroy), each line
 * prefixed with the stack's name as cdktf prints it. `terraform init` runs only when a stack has
 * never been initialised or its providers or backend changed (a stamp of them, kept in the stack's
 * .terraform/). `cdktf deploy` keeps working for whoever types it: the same cdktf.out, the same
 * state.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../base/errors';
import { formatDuration } from '../base/text';

export type TerraformAction = 'deploy' | 'destroy';

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

/** The app command of cdktf.json ("node --import tsx main.ts"), split as a shell would. */
function appCommand(projectDir: string): string[] {
  let app: unknown;
  try {
    app = (JSON.parse(fs.readFileSync(path.join(projectDir, 'cdktf.json'), 'utf8')) as { app?: unknown }).app;
  } catch (error) {
    throw new UserError(`cannot read cdktf.json: ${(error as Error).message}`);
  }
  if (typeof app !== 'string' || !/^[\w./=@:-]+( [\w./=@:-]+)*$/.test(app.trim()))
    throw new UserError(`cdktf.json's "app" must be a plain command such as "node --import tsx main.ts" (got ${JSON.stringify(app)})`);
  return app.trim().split(' ');
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
  const outdir = path.join(projectDir, 'cdktf.out');
  const [app, ...appArgs] = appCommand(projectDir);
  const { code: synthCode } = await runPrefixed(app, appArgs, projectDir, { ...env, CDKTF_OUTDIR: outdir }, '', sinks);
  if (synthCode !== 0) throw new UserError(`synth failed (exit ${synthCode}); nothing was deployed`, synthCode);

  const order = options.action === 'destroy' ? [...options.stacks].reverse() : options.stacks;
  const done: string[] = [];
  for (const stack of order) {
    const stackDir = path.join(outdir, 'stacks', stack);
    if (!fs.existsSync(path.join(stackDir, 'cdk.tf.json'))) throw new UserError(`the app synthesized no stack ${stack}`);
    const prefix = `${stack}  `;
    const stamp = initStamp(stackDir);
    if (needsInit(stackDir, stamp)) {
      const init = await runPrefixed('terraform', ['init', '-input=false', '-no-color'], stackDir, env, prefix, sinks);
      if (init.code !== 0) {
        // A new backend (USUALSTORE_STATE_*): the state must be moved, deliberately, not here.
        const moved = /Backend configuration changed/.test(init.stderr)
          ? `: its state backend changed; move the state with terraform -chdir=${path.relative(projectDir, stackDir)} init -migrate-state (or -reconfigure to leave it behind), then deploy again`
          : '';
        throw new UserError(
          `terraform init of ${stack} failed (exit ${init.code})${moved}; ${describeDone(done, options.action)}`,
          init.code,
        );
      }
      fs.writeFileSync(path.join(stackDir, STAMP_FILE), `${stamp}\n`);
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
