/**
 * A deploy that changes nothing, `npm run deploy` (usualstore-db deploy: the app synthesized, then
 * Terraform per stack) against its floor, Terraform's own `terraform apply` (plan and apply) of
 * the same JSON in each stack. (cdktf deploy, which it replaces, is not measured: cdktf 0.21
 * fails rendering the outputs of this variant after applying it.) On a stack variant without the docker provider (it cannot be downloaded here: the
 * checkout's app cuts it out, __tests__/support/deploy-checkout.ts), so the orchestration is what
 * is measured; the synth's checks find no Docker daemon here (one failed docker call).
 * Goal: at most +1.5 s over Terraform's own time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv, removeCheckout } from '../__tests__/support/checkout';
import { deployEnv, makeDeployCheckout, startDeployTarget } from '../__tests__/support/deploy-checkout';
import { STACK_ORDER } from '../config/stacks';
import { head, ROOT, row, time } from './measure';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const GOAL_ADDED_SECONDS = 1.5;

async function main(): Promise<void> {
  fs.mkdirSync(path.join(ROOT, '.test-out'), { recursive: true });
  // The first deploy creates the container's stand-in and runs the hook: a server on the port.
  const target = await startDeployTarget();
  const dir = makeDeployCheckout('bench-deploy', target);
  const env = cleanEnv(deployEnv(target));
  const deploy = () => time(process.execPath, [path.join(dir, 'bin', 'usualstore-db.js'), 'deploy'], { cwd: dir, env });
  const terraformOnly = () =>
    STACK_ORDER.reduce(
      (sum, stack) =>
        sum +
        time('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], {
          cwd: path.join(dir, 'cdktf.out', 'stacks', stack),
          env: { ...env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
        }),
      0,
    );
  try {
    // Untimed: the first deploy creates the state and initialises each stack.
    deploy();
    const times = { terraform: [] as number[], deploy: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      times.terraform.push(terraformOnly());
      times.deploy.push(deploy());
    }
    console.log(
      [
        head(`a deploy with nothing to change, both stacks, ${RUNS} interleaved runs`),
        row('terraform apply in each stack (the floor)', times.terraform),
        row('usualstore-db deploy (what npm run deploy runs)', times.deploy, times.terraform, { addedSeconds: GOAL_ADDED_SECONDS }),
      ].join('\n'),
    );
  } finally {
    removeCheckout(dir);
    await target.stop();
  }
}

void main();
