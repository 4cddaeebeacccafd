/**
 * The container's contract with PostgreSQL 15, checked on a real server instead of at deploy
 * time: the `command` arguments and the healthcheck command are taken from the synthesized
 * JSON and run against PostgreSQL 15 started with exactly those flags. A typo in a flag (or in
 * pg_isready's options) fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { makeCheckout, removeCheckout, run } from '../support/checkout';
import { runProcess } from '../support/process';
import { startTestServer, TestServer } from '../support/test-server';

interface ContainerJson {
  command: string[];
  env: string[];
  healthcheck: { test: string[] };
}

async function exitCode(command: string, args: string[]): Promise<{ code: number; output: string }> {
  const result = await runProcess(command, args, { cwd: process.cwd(), env: process.env });
  return { code: result.code, output: result.stdout + result.stderr };
}

async function synthesizedContainer(): Promise<ContainerJson> {
  const dir = makeCheckout('contract');
  try {
    const result = await run(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: dir });
    if (result.code !== 0) throw new Error(`synth failed: ${result.stderr}`);
    const file = path.join(dir, 'cdktf.out', 'stacks', 'usualstore-database', 'cdk.tf.json');
    return JSON.parse(fs.readFileSync(file, 'utf8')).resource.docker_container.database as ContainerJson;
  } finally {
    removeCheckout(dir);
  }
}

describe('container contract with PostgreSQL 15', () => {
  let container: ContainerJson;
  let server: TestServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    container = await synthesizedContainer();
    env = Object.fromEntries(container.env.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
    // The image's entrypoint runs the command as given: `postgres` followed by its flags.
    expect(container.command[0]).toBe('postgres');
    server = await startTestServer(container.command.slice(1));
    // The image creates POSTGRES_DB at first start; the healthcheck connects to it.
    const admin = new Client({ connectionString: server.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${env.POSTGRES_DB}"`);
    } finally {
      await admin.end();
    }
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function show(setting: string): Promise<string> {
    const client = new Client({ connectionString: server.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SHOW ${setting}`);
      return rows[0][setting] as string;
    } finally {
      await client.end();
    }
  }

  it('the command sets max_connections = 200', async () => {
    expect(await show('max_connections')).toBe('200');
  });

  it("the command sets listen_addresses = '*'", async () => {
    expect(await show('listen_addresses')).toBe('*');
  });

  it('the healthcheck checks the configured user and database', () => {
    const test = container.healthcheck.test;
    expect(test[0]).toBe('CMD'); // exec form: no shell inside the container
    const option = (flag: string) => test[test.indexOf(flag) + 1];
    expect(option('-U')).toBe(env.POSTGRES_USER);
    expect(option('-d')).toBe(env.POSTGRES_DB);
  });

  it('the healthcheck command exits 0 against the running server', async () => {
    const [command, ...args] = container.healthcheck.test.slice(1);
    // The test server is not on 5432: only the port differs from the container.
    const result = await exitCode(command, [...args, '-p', String(server.port)]);
    expect(result).toEqual({ code: 0, output: expect.stringContaining('accepting connections') });
  });

  // Controls: the two checks above can fail.
  it('a misspelt server flag stops PostgreSQL from starting', async () => {
    await expect(startTestServer(['-c', 'max_conections=200'])).rejects.toThrow(/exited/);
  });

  it('the healthcheck command fails when nothing listens', async () => {
    const [command, ...args] = container.healthcheck.test.slice(1);
    const closed = await startTestServer([]);
    const port = closed.port;
    await closed.stop();
    const result = await exitCode(command, [...args, '-p', String(port), '-t', '3']);
    expect(result.code).not.toBe(0);
  });
});
