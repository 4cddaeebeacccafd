/**
 * State for teams: both stacks keep their state in a PostgreSQL (Terraform's built-in `pg`
 * backend) that the test starts, run by the real Terraform: one schema per stack, the credentials
 * from PGUSER/PGPASSWORD (never in cdktf.out), a second concurrent run of the same stack refused
 * with Terraform's lock message, the same state as a local backend holds, and the deploy
 * preflight reading it there. The docker resources are cut out (support/terraform-json.ts): the
 * provider cannot be downloaded here.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makeCheckout, removeCheckout, run, type RunResult } from '../support/checkout';
import { serverUrl, urlFor, withClient } from '../support/database';
import { startProcess } from '../support/process';
import { cutDocker } from '../support/terraform-json';
import { writePasswordFile } from '../../tool/deploy/password-file';
import { volumesInStackState } from '../../tool/deploy/terraform-state';
import { loadConfig } from '../../config/database';
import { loadStateBackend, stateSchema } from '../../config/state-backend';
import { query } from './migrator-fixtures';
import { terraform } from '../support/terraform';

const STACKS = ['usualstore-data', 'usualstore-database'];
const DATABASE = `tfstate_${randomBytes(4).toString('hex')}`;

describe('the pg state backend, run by Terraform against a real PostgreSQL', () => {
  let shared: string; // checkout with USUALSTORE_STATE_PG_URL
  let local: string; // the same app with local state, for comparison
  let stateUrl: string;
  let credentials: NodeJS.ProcessEnv;
  const stackDir = (dir: string, stack: string) => path.join(dir, 'cdktf.out', 'stacks', stack);
  const tf = (dir: string, stack: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> =>
    terraform(stackDir(dir, stack), args, { env: { ...credentials, ...env } });

  async function prepare(dir: string, env: NodeJS.ProcessEnv): Promise<void> {
    const synth = await run(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: dir, env });
    if (synth.code !== 0) throw new Error(`synth failed: ${synth.stderr}`);
    writePasswordFile(dir, 'not-under-test');
    for (const stack of STACKS) {
      cutDocker(
        stackDir(dir, stack),
        (json) => {
          // Something that takes a while to apply, to hold the state lock.
          if (stack === 'usualstore-database')
            json.resource.terraform_data.slow = { provisioner: [{ 'local-exec': { command: 'sleep "$${SLOW_SECONDS:-0}"' } }] };
        },
        { commands: false },
      );
      const init = await tf(dir, stack, ['init']);
      if (init.code !== 0) throw new Error(`terraform init failed: ${init.stderr}${init.stdout}`);
    }
  }

  beforeAll(async () => {
    await withClient(serverUrl(), (c) => c.query(`CREATE DATABASE ${DATABASE}`));
    const server = new URL(serverUrl());
    credentials = { PGUSER: decodeURIComponent(server.username), PGPASSWORD: decodeURIComponent(server.password) };
    stateUrl = `postgres://127.0.0.1:${server.port}/${DATABASE}?sslmode=disable`;
    shared = makeCheckout('state-pg');
    local = makeCheckout('state-local');
    await prepare(shared, { USUALSTORE_STATE_PG_URL: stateUrl });
    await prepare(local, {});
  }, 240000);

  afterAll(async () => {
    for (const dir of [shared, local]) if (dir) removeCheckout(dir);
    await withClient(serverUrl(), (c) => c.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`));
  });

  it('synthesizes a pg backend per stack: its own schema, the URL without credentials', async () => {
    const synthesized = STACKS.map((stack) => JSON.parse(fs.readFileSync(path.join(stackDir(shared, stack), 'cdk.tf.json'), 'utf8')));
    expect(synthesized.map((json) => json.terraform.backend)).toEqual(
      STACKS.map((stack) => ({ pg: { conn_str: stateUrl, schema_name: stateSchema(stack) } })),
    );
    for (const stack of STACKS) {
      const files = fs.readdirSync(stackDir(shared, stack), { recursive: true }) as string[];
      for (const file of files.filter((f) => f.endsWith('.json')))
        expect(fs.readFileSync(path.join(stackDir(shared, stack), file), 'utf8')).not.toContain(credentials.PGPASSWORD!);
    }
  });

  it('applies both stacks into one shared database, a schema each, holding what a local state holds', async () => {
    for (const dir of [shared, local])
      for (const stack of STACKS) {
        const applied = await tf(dir, stack, ['apply', '-auto-approve']);
        expect({ stack, code: applied.code, stderr: applied.stderr }).toEqual({ stack, code: 0, stderr: '' });
      }
    const schemas = await query<{ schema: string; name: string }>(
      urlFor(DATABASE),
      `SELECT table_schema AS schema, (xpath('/row/n/text()', query_to_xml(format('SELECT string_agg(name, %L) AS n FROM %I.states', ',', table_schema), false, true, '')))[1]::text AS name
         FROM information_schema.tables WHERE table_name = 'states' ORDER BY 1`,
    );
    expect(schemas).toEqual(STACKS.map((stack) => ({ schema: stateSchema(stack), name: 'default' })));
    expect(fs.readdirSync(shared).filter((f) => f.endsWith('.tfstate'))).toEqual([]);
    for (const stack of STACKS) {
      const [pgList, localList] = await Promise.all([tf(shared, stack, ['state', 'list']), tf(local, stack, ['state', 'list'])]);
      expect(pgList.stdout).toBe(localList.stdout);
      const [pgOut, localOut] = await Promise.all([tf(shared, stack, ['output', '-json']), tf(local, stack, ['output', '-json'])]);
      // The same outputs (an id is new with every resource, whichever backend keeps it).
      const outputs = (text: string) => ({ ...JSON.parse(text), container_id: undefined });
      expect(outputs(pgOut.stdout)).toEqual(outputs(localOut.stdout));
    }
  });

  it("refuses a second run of the same stack while one holds the lock, with Terraform's lock message", async () => {
    const stack = 'usualstore-database';
    const first = startProcess('terraform', ['apply', '-auto-approve', '-input=false', '-no-color', '-replace=terraform_data.slow'], {
      cwd: stackDir(shared, stack),
      env: { ...process.env, TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: '/dev/null', ...credentials, SLOW_SECONDS: '6' },
      timeoutMs: 60000,
    });
    // The pg backend locks with an advisory lock in the state database: wait until it is held
    // there (other test files take advisory locks in their own databases meanwhile).
    const heldHere = `SELECT count(*)::int AS n FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
    const deadline = Date.now() + 30000;
    while ((await query<{ n: number }>(urlFor(DATABASE), heldHere))[0].n === 0) {
      if (Date.now() > deadline) throw new Error(`the first apply never took the lock: ${first.output().stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const second = await tf(shared, stack, ['plan', '-lock-timeout=0s']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/Error acquiring the state lock/);
    const firstResult = await first.done;
    expect(firstResult.code).toBe(0);
    // The other stack's schema has a lock of its own: it plans meanwhile and after.
    expect((await tf(shared, 'usualstore-data', ['plan', '-lock-timeout=0s', '-detailed-exitcode'])).code).toBe(0);
  }, 90000);

  it('the deploy preflight reads the data stack state from there (with PGUSER/PGPASSWORD), and says so in one line when it cannot', async () => {
    const backend = loadStateBackend({ USUALSTORE_STATE_PG_URL: stateUrl }, loadConfig({}));
    // What the provider writes for the volume (the shape preflight.spec.ts uses for local files).
    const state = path.join(shared, 'pushed.tfstate');
    const pulled = JSON.parse((await tf(shared, 'usualstore-data', ['state', 'pull'])).stdout);
    fs.writeFileSync(
      state,
      JSON.stringify({
        ...pulled,
        serial: pulled.serial + 1,
        resources: [
          {
            mode: 'managed',
            type: 'docker_volume',
            name: 'usualstore_db_data',
            provider: 'provider["registry.terraform.io/kreuzwerker/docker"]',
            instances: [{ schema_version: 0, attributes: { id: 'usualstore_db_data', name: 'usualstore_db_data' } }],
          },
        ],
      }),
    );
    expect((await tf(shared, 'usualstore-data', ['state', 'push', state])).code).toBe(0);
    expect(await volumesInStackState(shared, 'usualstore-data', backend, credentials)).toEqual(['usualstore_db_data']);
    expect(await volumesInStackState(shared, 'usualstore-database', backend, credentials)).toEqual([]);
    await expect(volumesInStackState(shared, 'usualstore-data', backend, { ...credentials, PGPASSWORD: 'wrong' })).rejects.toThrow(
      /^cannot read the state of usualstore-data from USUALSTORE_STATE_PG_URL: password authentication failed for user "postgres" at 127\.0\.0\.1:\d+; check PGPASSWORD$/,
    );
  });

  it('refuses, at synth, a URL holding credentials or naming the database the stacks deploy', async () => {
    const bad = await run(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: shared,
      env: { USUALSTORE_STATE_PG_URL: `postgres://postgres:secret@127.0.0.1:1/x` },
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      "usualstore: USUALSTORE_STATE_PG_URL must not hold a user or password: it is written into cdktf.out; Terraform's pg backend takes them from PGUSER and PGPASSWORD\n",
    );
    const itself = await run(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: shared,
      env: { USUALSTORE_STATE_PG_URL: 'postgres://127.0.0.1:5433/usualstore' },
    });
    expect(itself.code).toBe(1);
    expect(itself.stderr).toMatch(/^usualstore: USUALSTORE_STATE_PG_URL points at the database this project deploys \(127\.0\.0\.1:5433\)/);
  });
});
