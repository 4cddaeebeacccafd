/**
 * A user who followed the README still gets a green `npm test`: the unit tests run in a copy of
 * the project holding what a user's checkout holds after `cp terraform.tfvars.example
 * terraform.tfvars` with a password of their own, and a deploy (.secrets/, a local state file),
 * and must pass there, leaving those files as they were. No test reads or writes the checkout's
 * own terraform.tfvars, .secrets/, state or caches: one that did would see the user's password
 * here instead of the one it expects. (The integration tests run the CLI in throw-away checkouts
 * or against their own databases; global-teardown.ts checks that they left the real checkout's
 * files as they were.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../support/cli';
import { runProcess } from '../support/process';
import { tempDir } from '../support/temp';
import { isUserFile } from '../support/user-files';

/** Not copied: installed, built or made by runs (node_modules is linked instead). */
const LEFT_OUT = new Set(['node_modules', '.git', '.test-out', 'cdktf.out', 'dist', 'coverage']);

function userCheckout(): string {
  const dir = tempDir('user-checkout');
  fs.cpSync(PROJECT_ROOT, dir, {
    recursive: true,
    filter: (source) => {
      const relative = path.relative(PROJECT_ROOT, source);
      const top = relative.split(path.sep)[0];
      return !LEFT_OUT.has(top) && !isUserFile(top) && !relative.includes(`${path.sep}node_modules`);
    },
  });
  for (const modules of ['node_modules', 'production/node_modules'])
    if (fs.existsSync(path.join(PROJECT_ROOT, modules))) fs.symlinkSync(path.join(PROJECT_ROOT, modules), path.join(dir, modules), 'dir');
  return dir;
}

/** The files a user's checkout holds after the README's steps and a deploy, each with a canary. */
const USER_CONTENT: Record<string, string> = {
  'terraform.tfvars': 'postgres_password = "the-users-own-password"\nhost_port = 5433\n',
  '.secrets/postgres-password': 'the-users-own-password',
  '.secrets/postgres-password.generation': 'users-generation\n',
  'terraform.usualstore-db.tfstate': '{"version": 4, "serial": 7, "lineage": "the-users-state", "resources": []}\n',
};

describe("the unit tests in a user's checkout", () => {
  let dir: string;
  beforeAll(() => {
    dir = userCheckout();
    for (const [file, content] of Object.entries(USER_CONTENT)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content, { mode: 0o600 });
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('pass beside its terraform.tfvars, .secrets/ and state, and leave them as they were', async () => {
    const run = await runProcess(process.execPath, [path.join(dir, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '__tests__/unit'], {
      cwd: dir,
      env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' },
      timeoutMs: 300000,
    });
    if (run.code !== 0) throw new Error(`the unit tests failed in a user's checkout:\n${run.stderr.slice(-4000)}`);
    for (const [file, content] of Object.entries(USER_CONTENT))
      expect([file, fs.readFileSync(path.join(dir, file), 'utf8')]).toEqual([file, content]);
  }, 360000);
});
