/**
 * Providers, reproducibly: each stack's lock file kept in locks/ (config/provider-locks.ts), found by
 * the next init on another machine, and a provider that cannot be fetched named in one line with
 * the ways to give it offline. The docker provider cannot be had here at all; the hashicorp/aws
 * 5.100.0 plugin this machine has stands in for it (each stack requires it in docker's place:
 * support/cut-app.ts), served by a filesystem mirror as the one line advises.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../support/cli';
import { removeCheckout, run, type RunResult } from '../support/checkout';
import { deployEnv, makeDeployCheckout, startDeployTarget, type DeployTarget } from '../support/deploy-checkout';
import { awsPluginDir } from '../support/production';
import { skipUnless } from '../support/skip';
import { tempDir } from '../support/temp';

const pluginDir = awsPluginDir();
const describeWithPlugin = skipUnless(
  pluginDir ? undefined : 'no hashicorp/aws 5.100.0 plugin here (TF_PLUGIN_DIR, or the image’s /opt/tf-plugins)',
  'production',
  'the provider lock file tests',
);
const STAND_IN = { STAND_IN_PROVIDER: 'hashicorp/aws@5.100.0' };
const LOCK = 'locks/usualstore-data.terraform.lock.hcl';

describeWithPlugin('provider lock files and offline providers (hashicorp/aws standing in for kreuzwerker/docker)', () => {
  let target: DeployTarget;
  let work: string;
  let mirrorConfig: string;
  const checkouts: string[] = [];
  const checkout = (label: string) => {
    const dir = makeDeployCheckout(label, target);
    checkouts.push(dir);
    return dir;
  };
  const deploy = (dir: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> =>
    run(process.execPath, [path.join(dir, 'bin', 'usualstore-db.js'), 'deploy'], {
      cwd: dir,
      env: { ...deployEnv(target), ...STAND_IN, ...env },
      timeoutMs: 180000,
    });

  beforeAll(async () => {
    target = await startDeployTarget();
    work = tempDir('locks');
    // What the one line advises: a filesystem mirror named in the CLI configuration.
    mirrorConfig = path.join(work, 'terraformrc');
    fs.writeFileSync(mirrorConfig, `provider_installation {\n  filesystem_mirror {\n    path = "${pluginDir}"\n  }\n}\n`);
  });
  afterAll(async () => {
    await target?.stop();
    checkouts.forEach(removeCheckout);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('without the registry, one line names the provider and the ways to give it offline', async () => {
    const result = await deploy(checkout('locks-offline'));
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      'usualstore-db: terraform init of usualstore-data failed (exit 1): could not fetch the provider hashicorp/aws 5.100.0 (could not connect to registry.terraform.io); give it offline: run terraform providers mirror DIR in cdktf.out/stacks/usualstore-data on a machine that reaches the registry, bring DIR here and name it in the Terraform CLI configuration (TF_CLI_CONFIG_FILE) as provider_installation { filesystem_mirror { path = "DIR" } } (a plugin cache directory has the same layout and serves too; TF_PLUGIN_CACHE_DIR alone still asks the registry): see docs/deploy.md#providers-offline; no stack was changed before it',
    );
  });

  it('a plugin cache alone does not help offline (why the line says so)', async () => {
    const dir = checkout('locks-cache');
    const result = await deploy(dir, { TF_PLUGIN_CACHE_DIR: pluginDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not fetch the provider hashicorp\/aws 5\.100\.0/);
  });

  it('with the mirror the deploy goes on, and each stack’s lock file is kept in locks/ for review', async () => {
    const dir = checkout('locks-first');
    const result = await deploy(dir, { TF_CLI_CONFIG_FILE: mirrorConfig });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    for (const stack of ['usualstore-data', 'usualstore-database']) {
      const kept = fs.readFileSync(path.join(dir, 'locks', `${stack}.terraform.lock.hcl`), 'utf8');
      expect(kept).toMatch(/^provider "registry\.terraform\.io\/hashicorp\/aws" \{\n {2}version {5}= "5\.100\.0"/m);
      expect(kept).toMatch(/"h1:[A-Za-z0-9+/=]{44}"/);
      expect(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', stack, '.terraform.lock.hcl'), 'utf8')).toBe(kept);
    }
    // Files to commit: the project's .gitignore lets them through.
    const ignored = await run('git', ['check-ignore', '-q', '--no-index', LOCK], { cwd: PROJECT_ROOT });
    expect(ignored.code).toBe(1);
  });

  it('another machine’s first init finds the kept lock file and verifies against it; a changed hash stops it', async () => {
    const first = checkouts.find((d) => path.basename(d).startsWith('locks-first-'))!;
    const kept = fs.readFileSync(path.join(first, LOCK), 'utf8');
    // A fresh clone: the lock files only (what git brings), no cdktf.out.
    const clone = checkout('locks-clone');
    fs.mkdirSync(path.join(clone, 'locks'));
    for (const file of fs.readdirSync(path.join(first, 'locks')))
      fs.copyFileSync(path.join(first, 'locks', file), path.join(clone, 'locks', file));
    const result = await deploy(clone, { TF_CLI_CONFIG_FILE: mirrorConfig });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Reusing previous version of hashicorp\/aws from the dependency lock file/);
    expect(fs.readFileSync(path.join(clone, LOCK), 'utf8')).toBe(kept);

    const tampered = checkout('locks-tampered');
    fs.mkdirSync(path.join(tampered, 'locks'));
    for (const file of fs.readdirSync(path.join(first, 'locks')))
      fs.writeFileSync(
        path.join(tampered, 'locks', file),
        fs.readFileSync(path.join(first, 'locks', file), 'utf8').replace(/"h1:[^"]+"/, '"h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="'),
      );
    const refused = await deploy(tampered, { TF_CLI_CONFIG_FILE: mirrorConfig });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n').at(-1)).toBe(
      "usualstore-db: terraform init of usualstore-data failed (exit 1): the package of hashicorp/aws 5.100.0 does not match the hashes in the stack's kept lock file (locks/): a different build than the one reviewed; get it from the registry or a mirror made from it, or, after review, run terraform providers lock in cdktf.out/stacks/usualstore-data; no stack was changed before it",
    );
  });
});
