/**
 * The npm scripts that deploy (deploy, destroy, wipe), run as npm runs them, in a checkout with
 * no Docker daemon and no password: what they refuse before Terraform starts. What the checks do
 * with a Docker Engine, and wipe's confirmation, are in deploy-checks.spec.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeCheckout, removeCheckout, run } from '../support/checkout';
import { NO_PASSWORD_FILE } from '../../config/deploy-password';

describe('npm run deploy / destroy / wipe', () => {
  let dir: string;
  let scripts: Record<string, string>;
  beforeAll(() => {
    dir = makeCheckout('synth-scripts');
    scripts = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts;
  });
  afterAll(() => removeCheckout(dir));

  const npmRun = (name: string, env: NodeJS.ProcessEnv = {}) => run('bash', ['-c', scripts[name]], { cwd: dir, env });

  it('deploy and destroy run the command itself (tool/deploy/terraform.ts; deploy-terraform.spec.ts runs them)', () => {
    expect(scripts.deploy).toBe('node bin/usualstore-db.js deploy');
    expect(scripts.destroy).toBe('node bin/usualstore-db.js destroy');
  });

  const NO_DOCKER =
    /^usualstore-db: the Docker daemon is not running or not reachable \(.*\): start Docker \(Docker Desktop, or `sudo systemctl start docker`\) and run it again$/;

  it('deploy without Docker and without a password: each refusal in one line, exit 1, no Terraform run', async () => {
    const result = await npmRun('deploy');
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(NO_DOCKER);
    expect(lines[1]).toBe(`usualstore-db: ${NO_PASSWORD_FILE}`);
    expect(result.stdout).toBe('');
    expect(fs.existsSync(path.join(dir, 'cdktf.out', 'stacks', 'usualstore-data', '.terraform'))).toBe(false);
  });

  it.each(['destroy', 'wipe'])('%s without Docker: one line, exit 1, nothing run (a destroy needs no password)', async (name) => {
    const result = await npmRun(name, { USUALSTORE_WIPE_CONFIRM: 'usualstore_db_data' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(NO_DOCKER.source.replace('$', '\\n$')));
    expect(fs.existsSync(path.join(dir, 'cdktf.out', 'stacks', 'usualstore-database', '.terraform'))).toBe(false);
  });

  describe('with terraform.tfvars', () => {
    beforeAll(() => fs.copyFileSync(path.join(dir, 'terraform.tfvars.example'), path.join(dir, 'terraform.tfvars')));

    it('wipe with an impossible configuration says so in one line', async () => {
      const result = await npmRun('wipe', { USUALSTORE_DB_HOST_PORT: 'x', USUALSTORE_WIPE_CONFIRM: 'usualstore_db_data' });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('usualstore: USUALSTORE_DB_HOST_PORT must be a whole number (got "x")\n');
    });
  });
});
