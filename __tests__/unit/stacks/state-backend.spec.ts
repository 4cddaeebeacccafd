/** Where the state lives (config/state-backend.ts), and the backend block each choice synthesizes. */
import { Testing, TerraformStack } from 'cdktf';
import { loadConfig } from '../../../config/database';
import { loadStateBackend, stateSchema } from '../../../config/state-backend';
import { addStateBackend } from '../../../stacks/state-backend';
import { TEST_OUT } from '../../support/checkout';

const config = loadConfig({});
const backendOf = (env: NodeJS.ProcessEnv) => {
  const app = Testing.app({ outdir: TEST_OUT });
  const stack = new TerraformStack(app, 'usualstore-data');
  addStateBackend(stack, loadStateBackend(env, config));
  return JSON.parse(Testing.synth(stack)).terraform.backend;
};

describe('the state backend', () => {
  it('is a local file at the project root by default, by a relative path', () => {
    expect(backendOf({})).toEqual({ local: { path: expect.stringMatching(/^(\.\.\/)+terraform\.usualstore-data\.tfstate$/) } });
  });

  it('is the pg backend, a schema per stack, with USUALSTORE_STATE_PG_URL', () => {
    expect(backendOf({ USUALSTORE_STATE_PG_URL: 'postgres://state.internal/terraform?sslmode=verify-full' })).toEqual({
      pg: { conn_str: 'postgres://state.internal/terraform?sslmode=verify-full', schema_name: 'terraform_usualstore_data' },
    });
    expect(stateSchema('usualstore-production')).toBe('terraform_usualstore_production');
  });

  it('is S3 with its lock file, encrypted, with USUALSTORE_STATE_S3_BUCKET and _REGION', () => {
    expect(backendOf({ USUALSTORE_STATE_S3_BUCKET: 'acme-tf', USUALSTORE_STATE_S3_REGION: 'eu-west-1' })).toEqual({
      s3: { bucket: 'acme-tf', key: 'usualstore/usualstore-data.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true },
    });
    expect(
      backendOf({ USUALSTORE_STATE_S3_BUCKET: 'acme-tf', USUALSTORE_STATE_S3_REGION: 'eu-west-1', USUALSTORE_STATE_S3_PREFIX: 'teams/db/' })
        .s3.key,
    ).toBe('teams/db/usualstore-data.tfstate');
  });

  it.each([
    [{ USUALSTORE_STATE_PG_URL: 'not a url' }, 'USUALSTORE_STATE_PG_URL is not a URL; expected postgres://HOST[:PORT]/DATABASE'],
    [{ USUALSTORE_STATE_PG_URL: 'mysql://h/d' }, 'USUALSTORE_STATE_PG_URL must start with postgres://'],
    [{ USUALSTORE_STATE_PG_URL: 'postgres://admin@h/d' }, 'USUALSTORE_STATE_PG_URL must not hold a user or password'],
    [{ USUALSTORE_STATE_PG_URL: 'postgres://h' }, 'USUALSTORE_STATE_PG_URL must name a host and one database'],
    [{ USUALSTORE_STATE_PG_URL: 'postgres://[::1]:5433/state' }, 'USUALSTORE_STATE_PG_URL points at the database this project deploys'],
    [{ USUALSTORE_STATE_S3_BUCKET: 'acme-tf' }, 'USUALSTORE_STATE_S3_BUCKET needs USUALSTORE_STATE_S3_REGION'],
    [{ USUALSTORE_STATE_S3_BUCKET: 'acme-tf', USUALSTORE_STATE_S3_REGION: 'x', USUALSTORE_STATE_PG_URL: 'postgres://h/d' }, 'not both'],
  ])('refuses %j in one line', (env, message) => {
    expect(() => loadStateBackend(env, config)).toThrow(message);
  });
});
