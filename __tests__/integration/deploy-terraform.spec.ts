/**
 * npm run deploy / destroy without the cdktf CLI (tool/deploy/terraform.ts), run for real in a
 * checkout with only the password set: the app synthesized as cdktf.json says (making the
 * deploy's checks), then the real Terraform per stack, in order, init only when a stack needs it,
 * each line prefixed with its stack, ending with a migrated database (the migration hook and the
 * container's password step run for real against a PostgreSQL 15 on the published port). The
 * docker provider cannot be downloaded here, so the checkout's app replaces the docker resources
 * by stand-ins (support/deploy-checkout.ts); the Docker-side checks are deploy-checks.spec.ts's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { removeCheckout, run, type RunResult } from '../support/checkout';
import { deployEnv, makeDeployCheckout, startDeployTarget, type DeployTarget } from '../support/deploy-checkout';
import { withClient } from '../support/database';
import { PROJECT_MIGRATIONS } from '../support/migration-prefix';

describe('npm run deploy / destroy, Terraform run per stack', () => {
  let dir: string;
  let target: DeployTarget;
  const npmRun = (script: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> => {
    const scripts = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts as Record<string, string>;
    return run('bash', ['-c', scripts[script]], { cwd: dir, env: { ...deployEnv(target), ...env }, timeoutMs: 180000 });
  };
  const lines = (result: RunResult, stack: string) =>
    result.stdout
      .split('\n')
      .filter((l) => l.startsWith(`${stack}  `))
      .map((l) => l.slice(stack.length + 2));

  beforeAll(async () => {
    target = await startDeployTarget();
    dir = makeDeployCheckout('deploy-tf', target);
  });
  afterAll(async () => {
    await target?.stop();
    if (dir) removeCheckout(dir);
  });

  it('deploys both stacks in order, initialising each once, every line under its stack, ending migrated', async () => {
    const first = await npmRun('deploy');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    // What the synth's checks found, before any Terraform output (no Docker here: nothing else).
    expect(first.stdout.split('\n')[0]).toBe('checks: .secrets/postgres-password written from terraform.tfvars: ready to deploy');
    for (const stack of ['usualstore-data', 'usualstore-database']) {
      expect(lines(first, stack)).toContain('Terraform has been successfully initialized!');
      expect(lines(first, stack).join('\n')).toMatch(/^Apply complete! Resources: \d+ added, 0 changed, 0 destroyed\.$/m);
    }
    const order = first.stdout.split('\n').map((l) => l.split('  ')[0]);
    expect(order.lastIndexOf('usualstore-data')).toBeLessThan(order.indexOf('usualstore-database'));
    expect(lines(first, 'usualstore-database').join('\n')).toMatch(/password of postgres matches the server/);
    expect(first.stdout.trim().split('\n').at(-1)).toMatch(/^deployed usualstore-data, usualstore-database in \d/);
    const applied = await withClient(target.server.url.replace(/\/postgres$/, '/usualstore'), (c) =>
      c.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY id'),
    );
    expect(applied.rows.map((r) => r.name)).toEqual(PROJECT_MIGRATIONS);
    expect(fs.existsSync(path.join(dir, 'terraform.usualstore-database.tfstate'))).toBe(true);
    expect(fs.statSync(path.join(dir, 'terraform.usualstore-database.tfstate')).mode & 0o077).toBe(0);

    const again = await npmRun('deploy');
    expect(again.code).toBe(0);
    expect(again.stdout.split('\n')[0]).toBe('checks: .secrets/postgres-password unchanged from terraform.tfvars: ready to deploy');
    for (const stack of ['usualstore-data', 'usualstore-database']) {
      expect(lines(again, stack)).not.toContain('Terraform has been successfully initialized!');
      expect(lines(again, stack).join('\n')).toMatch(/No changes\. Your infrastructure matches the configuration\./);
    }
  });

  it('initialises again when a stack backend or providers change', async () => {
    const moved = await npmRun('deploy', { USUALSTORE_STATE_PG_URL: 'postgres://127.0.0.1:1/nowhere?sslmode=disable' });
    expect(moved.code).toBe(1);
    expect(lines(moved, 'usualstore-data').join('\n')).toMatch(/Initializing the backend/);
    expect(moved.stderr).toMatch(/^usualstore-data  Error: Backend configuration changed$/m);
    expect(moved.stderr.trim().split('\n').at(-1)).toBe(
      'usualstore-db: terraform init of usualstore-data failed (exit 1): its state backend changed; move the state with terraform -chdir=cdktf.out/stacks/usualstore-data init -migrate-state (or -reconfigure to leave it behind), then deploy again; no stack was changed before it',
    );
  });

  it('destroy takes the database stack only, needing no password; destroy --with-data is wipe only', async () => {
    expect((await npmRun('deploy')).code).toBe(0);
    fs.rmSync(path.join(dir, 'terraform.tfvars'));
    const destroyed = await npmRun('destroy');
    expect(destroyed.code).toBe(0);
    expect(lines(destroyed, 'usualstore-data')).toEqual([]);
    expect(destroyed.stdout.trim().split('\n').at(-1)).toMatch(/^destroyed usualstore-database in \d/);
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'terraform.usualstore-data.tfstate'), 'utf8'));
    expect(state.serial).toBeGreaterThan(0);
    const refused = await run(process.execPath, [path.join(dir, 'bin', 'usualstore-db.js'), 'destroy', '--with-data'], {
      cwd: dir,
      env: deployEnv(target),
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'usualstore-db: destroy --with-data deletes the data volume and every row in it: run npm run wipe, which asks for the volume name first\n',
    );
    fs.writeFileSync(path.join(dir, 'terraform.tfvars'), `postgres_password = "${target.password}"\n`, { mode: 0o600 });
  });

  it('stops at a synth that fails, before Terraform, in one line after the app says why', async () => {
    const result = await npmRun('deploy', { USUALSTORE_DB_HOST_PORT: 'x' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'usualstore: USUALSTORE_DB_HOST_PORT must be a whole number (got "x")\nusualstore-db: synth failed (exit 1); nothing was deployed\n',
    );
  });
});
