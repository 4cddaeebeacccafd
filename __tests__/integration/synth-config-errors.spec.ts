/**
 * An impossible configuration value stops the synth with one actionable line and exit 1,
 * through main.ts exactly as cdktf.json runs it, and through `cdktf synth` itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cdktfSynth, makeCheckout, removeCheckout, run } from '../support/checkout';

describe('config validation at synth', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeCheckout('synth-config');
  });
  afterAll(() => removeCheckout(dir));

  const synthApp = (env: NodeJS.ProcessEnv) => run(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: dir, env });

  it.each([
    [{ USUALSTORE_DB_HOST_PORT: '70000' }, 'usualstore: invalid configuration: hostPort must be an integer from 1 to 65535 (got 70000)'],
    [{ USUALSTORE_DB_HOST_PORT: 'abc' }, 'usualstore: USUALSTORE_DB_HOST_PORT must be a whole number (got "abc")'],
    [
      { USUALSTORE_DB_MAX_CONNECTIONS: '0' },
      'usualstore: invalid configuration: maxConnections must be an integer from 1 to 262143 (got 0)',
    ],
    [
      { USUALSTORE_DB_IMAGE: 'postgres:15@sha256:1234' },
      'usualstore: invalid configuration: image must be a Docker image reference such as postgres:15 or postgres:15@sha256:<64 hex digits> (got "postgres:15@sha256:1234")',
    ],
    [{ USUALSTORE_DB_IMAGE: '' }, 'usualstore: invalid configuration: image must be a Docker image reference'],
    [
      { USUALSTORE_ALLOW_VOLUME_DESTROY: '1' },
      'usualstore: USUALSTORE_ALLOW_VOLUME_DESTROY must be exactly the volume name "usualstore_db_data"',
    ],
  ])('%j: one line, exit 1, nothing written', async (env, expected) => {
    const result = await synthApp(env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith(expected)).toBe(true);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, 'cdktf.out'))).toBe(false);
  });

  it('a digest-pinned image synthesizes', async () => {
    const image = `postgres:15@sha256:${'c'.repeat(64)}`;
    const result = await synthApp({ USUALSTORE_DB_IMAGE: image, CDKTF_OUTDIR: path.join(dir, 'pinned.out') });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'pinned.out', 'stacks', 'usualstore-database', 'cdk.tf.json'), 'utf8'));
    expect(json.resource.docker_image.postgres.name).toBe(image);
  });

  it('cdktf synth fails with the same line and no stack trace', async () => {
    const result = await cdktfSynth(dir, { USUALSTORE_DB_HOST_PORT: '0' });
    expect(result.code).not.toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toContain('usualstore: invalid configuration: hostPort must be an integer from 1 to 65535 (got 0)');
    expect(output).not.toMatch(/^\s+at .*\.ts:\d+/m);
  });
});
