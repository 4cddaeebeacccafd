/**
 * The npm scripts that deploy (deploy, destroy, wipe), run as npm runs
 * them, in a checkout: what they do before cdktf starts (a real deploy needs Docker and the
 * provider download, neither of which exists here). What the preflight does with a Docker
 * Engine, and wipe's confirmation after it, are in preflight.spec.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeCheckout, removeCheckout, run } from '../support/checkout';

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

  it.each(['deploy', 'destroy', 'wipe'])('%s without terraform.tfvars: one line from the preflight, exit 1, nothing run', async (name) => {
    const result = await npmRun(name);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'usualstore-db: terraform.tfvars not found; copy terraform.tfvars.example to terraform.tfvars and set postgres_password (or export TF_VAR_postgres_password)\n',
    );
    expect(fs.existsSync(path.join(dir, 'cdktf.out'))).toBe(false);
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
