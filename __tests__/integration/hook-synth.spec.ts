/**
 * The migration hook as synthesized (no server, no Terraform): the migrations directory's triggers
 * behind its triggers_replace, and what the database stack's hook declares: relative paths that
 * reach this project's bin/ and migrations/ from the stack's directory, a URL without password,
 * the password as an expression only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { App, Testing } from 'cdktf';
import { addUsualstoreStacks } from '../../stacks/app';
import { loadConfig } from '../../config/database';
import { createHash } from 'node:crypto';
import { UserError } from '../../tool/base/errors';
import { MigrationsDirectory } from '../../tool/migrator/directory';
import { MIGRATIONS_DIR, PROJECT_ROOT } from '../support/cli';
import { makeCheckout, removeCheckout, run, TEST_OUT } from '../support/checkout';

// Created at load time: the describe blocks below synthesize while Jest collects the tests.
fs.mkdirSync(TEST_OUT, { recursive: true });
const scratch = fs.mkdtempSync(path.join(TEST_OUT, 'hook-synth-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A directory under the scratch dir holding `files` (name -> content). */
function dirWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(scratch, 'm-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const migrationChecksums = (dir: string) => new MigrationsDirectory(dir).triggers();

describe("the migrations directory's triggers", () => {
  const base = { '001_a.ts': 'create a', '002_b.ts': 'create b' };

  it("is each file's sha256 (the migrator's checksum) by name; content only, whatever the directory or the order written", () => {
    const reversed = Object.fromEntries(Object.entries(base).reverse());
    expect(migrationChecksums(dirWith(base))).toEqual(migrationChecksums(dirWith(reversed)));
    expect(migrationChecksums(dirWith(base))).toEqual({ '001_a.ts': sha256('create a'), '002_b.ts': sha256('create b') });
    expect(Object.keys(migrationChecksums(dirWith(reversed)))).toEqual(['001_a.ts', '002_b.ts']);
  });

  it.each([
    ['an added file', { ...base, '003_c.ts': 'create c' }],
    ['a removed file', { '001_a.ts': 'create a' }],
    ['a renamed file', { '001_a.ts': 'create a', '003_b.ts': 'create b' }],
    ['a one-byte edit', { ...base, '002_b.ts': 'create B' }],
    ['bytes moved from one file to the next', { '001_a.ts': 'create ', '002_b.ts': 'acreate b' }],
    ['a reviewed list of superseded checksums', { ...base, 'superseded-checksums.json': '{}' }],
  ])('changes with %s', (_name, files) => {
    expect(migrationChecksums(dirWith(files))).not.toEqual(migrationChecksums(dirWith(base)));
  });

  it('ignores what the migrator ignores: dotfiles (editor swap files, .DS_Store), type declarations, subdirectories', () => {
    expect(
      migrationChecksums(dirWith({ ...base, '.DS_Store': 'x', '.002_b.ts.swp': 'y', 'types.d.ts': 'z', 'lib/helper.ts': 'w' })),
    ).toEqual(migrationChecksums(dirWith(base)));
  });

  it('refuses what the migrator refuses, in one line: a missing directory, a file, a stray file', () => {
    expect(() => migrationChecksums(path.join(scratch, 'nope'))).toThrow(
      new UserError(`migrations directory ${path.join(scratch, 'nope')} does not exist`),
    );
    const file = path.join(dirWith(base), '001_a.ts');
    expect(() => migrationChecksums(file)).toThrow(new UserError(`migrations directory ${file} is not a directory`));
    const stray = dirWith({ ...base, 'notes.txt': 'x' });
    expect(() => migrationChecksums(stray)).toThrow(/notes\.txt is not a migration/);
  });
});

describe("the database stack's hook", () => {
  const synthDatabase = (env: NodeJS.ProcessEnv = {}) => {
    const outdir = path.join(scratch, 'cdktf.out');
    const app: App = Testing.app({ outdir });
    const { database } = addUsualstoreStacks(app, { config: loadConfig(env), allowVolumeDestroy: false });
    const json = JSON.parse(Testing.synth(database));
    return { hook: json.resource.terraform_data.migrations, stackDir: path.join(outdir, 'stacks', 'usualstore-database') };
  };
  const { hook, stackDir } = synthDatabase();
  const exec = hook.provisioner[0]['local-exec'];

  it('runs after the container, and again only when the migrations change', () => {
    expect(hook.depends_on).toEqual(['docker_container.database']);
    expect(hook.triggers_replace).toEqual(migrationChecksums(MIGRATIONS_DIR));
    expect(hook.triggers_replace['20241204063421_seed_widgets.ts']).toMatch(/^[0-9a-f]{64}$/);
    expect(exec.when).toBeUndefined();
  });

  it("runs the project's usualstore-db and migrations through paths relative to the stack's directory", () => {
    const match = /^node (\S+) migrate up --wait 120 --migrations-dir (\S+)$/.exec(exec.command);
    expect(match).not.toBeNull();
    const [, cli, migrations] = match!;
    expect(path.isAbsolute(cli) || path.isAbsolute(migrations)).toBe(false);
    expect(path.resolve(stackDir, cli)).toBe(path.join(PROJECT_ROOT, 'bin', 'usualstore-db.js'));
    expect(path.resolve(stackDir, migrations)).toBe(MIGRATIONS_DIR);
    expect(exec.working_dir).toBeUndefined();
  });

  it("connects through the published port without a password in the URL; it reads the container's password file, relative to the stack", () => {
    expect(exec.environment).toEqual({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5433/usualstore',
      NODE_EXTRA_CA_CERTS: '',
      USUALSTORE_PASSWORD_COMMAND: expect.stringMatching(/^cat \S+$/),
      PGPASSWORD: '',
    });
    const file = exec.environment.USUALSTORE_PASSWORD_COMMAND.slice('cat '.length);
    expect(path.isAbsolute(file)).toBe(false);
    expect(path.resolve(stackDir, file)).toBe(path.join(PROJECT_ROOT, '.secrets', 'postgres-password'));
    expect(exec.command).not.toContain('password');
  });

  it('follows the configured host port', () => {
    const moved = synthDatabase({ USUALSTORE_DB_HOST_PORT: '6543' }).hook.provisioner[0]['local-exec'];
    expect(moved.environment.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:6543/usualstore');
  });
});

describe('synth without a migrations directory', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeCheckout('hook-no-migrations');
    fs.rmSync(path.join(dir, 'migrations'), { recursive: true });
  });
  afterAll(() => removeCheckout(dir));

  it('fails in one line naming the directory', async () => {
    const result = await run(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`usualstore: migrations directory ${path.join(dir, 'migrations')} does not exist\n`);
  });
});
