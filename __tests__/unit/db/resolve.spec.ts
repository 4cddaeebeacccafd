/** Which database, and which password: the one resolver every command uses (tool/db/resolve.ts). */
import fs from 'node:fs';
import path from 'node:path';
import { resolveDatabase } from '../../../tool/db/resolve';
import { emptyProjectDir, tempDir } from '../../support/temp';

describe('resolveDatabase: which database', () => {
  it('takes the option first, then DATABASE_URL, then the deployed database', () => {
    const env = { DATABASE_URL: 'postgres://x@y/z' };
    expect(resolveDatabase({ projectDir: emptyProjectDir(), url: 'postgres://app@db.example:6543/shop', env })).toMatchObject({
      host: 'db.example',
      port: 6543,
      user: 'app',
      database: 'shop',
      label: 'app@db.example:6543/shop',
      origin: '--database-url',
    });
    expect(resolveDatabase({ projectDir: emptyProjectDir(), env })).toMatchObject({ label: 'x@y:5432/z', origin: 'DATABASE_URL' });
    expect(resolveDatabase({ projectDir: emptyProjectDir(), env: {} })).toMatchObject({
      label: 'postgres@127.0.0.1:5433/usualstore',
      origin: 'the deployed database',
    });
    expect(resolveDatabase({ projectDir: emptyProjectDir(), env: { USUALSTORE_DB_HOST_PORT: '6000' } })).toMatchObject({
      label: 'postgres@127.0.0.1:6000/usualstore',
    });
  });

  it('reaches for no database it was not given when asked not to (review, copy --to)', () => {
    expect(resolveDatabase({ projectDir: emptyProjectDir(), env: {}, fallback: 'explicit' })).toBeUndefined();
    expect(
      resolveDatabase({ projectDir: emptyProjectDir(), env: { DATABASE_URL: 'postgres://x@y/z' }, fallback: 'explicit' }),
    ).toMatchObject({ origin: 'DATABASE_URL' });
    expect(resolveDatabase({ projectDir: emptyProjectDir(), env: { DATABASE_URL: 'postgres://x@y/z' }, fallback: 'none' })).toBeUndefined();
  });

  it('defaults the port to 5432 and keeps a percent-encoded password for pg, out of the label', () => {
    const target = resolveDatabase({
      projectDir: emptyProjectDir(),
      env: { DATABASE_URL: 'postgresql://postgres:p%40ss%2Fw%3Ard@localhost/usualstore' },
    })!;
    expect(target.port).toBe(5432);
    expect(target.label).toBe('postgres@localhost:5432/usualstore');
    expect(target).toMatchObject({ password: 'p@ss/w:rd', passwordSource: 'the URL' });
    expect(new URL(target.connectionString).password).toBe('p%40ss%2Fw%3Ard');
  });

  it('takes the user from PGUSER when the URL names none', () => {
    expect(
      resolveDatabase({ projectDir: emptyProjectDir(), env: { DATABASE_URL: 'postgres://127.0.0.1:5433/usualstore', PGUSER: 'ops' } })!
        .label,
    ).toBe('ops@127.0.0.1:5433/usualstore');
  });

  it.each([
    [{ DATABASE_URL: 'localhost:5432/db' }, /must start with postgres:\/\//],
    [{ DATABASE_URL: 'http://localhost/db' }, /must start with postgres:\/\//],
    [{ DATABASE_URL: 'postgres://u:secret@host:99999/db' }, /DATABASE_URL is not a valid URL/],
    [{ DATABASE_URL: 'postgres://u:sec%ret@host/db' }, /password in DATABASE_URL is not valid percent-encoding/],
    [{ DATABASE_URL: 'postgres://u@host' }, /must name exactly one database/],
    [{ DATABASE_URL: 'postgres://u@host/a/b' }, /must name exactly one database/],
  ])('refuses %j in one line, never echoing it', (env, message) => {
    expect(() => resolveDatabase({ projectDir: emptyProjectDir(), env })).toThrow(message);
    try {
      resolveDatabase({ projectDir: emptyProjectDir(), env });
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });

  it('refuses an empty --database-url', () => {
    expect(() => resolveDatabase({ projectDir: emptyProjectDir(), url: ' ', env: {} })).toThrow(
      '--database-url is empty; expected postgres://',
    );
  });

  it('names a CA file that is not there before any connection is tried', () => {
    expect(() =>
      resolveDatabase({
        projectDir: emptyProjectDir(),
        env: { DATABASE_URL: 'postgres://u@db.example/d?sslmode=verify-full&sslrootcert=/nowhere/ca.pem' },
      }),
    ).toThrow('the CA file /nowhere/ca.pem (sslrootcert in DATABASE_URL) does not exist');
  });
});

describe('resolveDatabase: which password', () => {
  let project: string;
  beforeEach(() => (project = tempDir('resolve')));
  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));
  const tfvars = (password: string) => fs.writeFileSync(path.join(project, 'terraform.tfvars'), `postgres_password = "${password}"\n`);
  const deployed = (env: NodeJS.ProcessEnv) => resolveDatabase({ env, projectDir: project })!;

  it('the URL, then PGPASSWORD, then USUALSTORE_PASSWORD_COMMAND, then terraform.tfvars, then TF_VAR_postgres_password', () => {
    tfvars('from-file');
    const all = {
      PGPASSWORD: 'from-pgpassword',
      USUALSTORE_PASSWORD_COMMAND: 'echo from-command',
      TF_VAR_postgres_password: 'from-tf-var',
    };
    expect(resolveDatabase({ url: 'postgres://postgres:from-url@127.0.0.1:5433/usualstore', env: all, projectDir: project })).toMatchObject(
      { password: 'from-url', passwordSource: 'the URL' },
    );
    expect(deployed(all)).toMatchObject({ password: 'from-pgpassword', passwordSource: 'PGPASSWORD' });
    expect(deployed({ ...all, PGPASSWORD: '' })).toMatchObject({ password: 'from-command', passwordSource: 'USUALSTORE_PASSWORD_COMMAND' });
    expect(deployed({ TF_VAR_postgres_password: 'from-tf-var' })).toMatchObject({
      password: 'from-file',
      passwordSource: 'terraform.tfvars',
    });
    fs.rmSync(path.join(project, 'terraform.tfvars'));
    expect(deployed({ TF_VAR_postgres_password: 'from-tf-var' })).toMatchObject({
      password: 'from-tf-var',
      passwordSource: 'TF_VAR_postgres_password',
    });
    expect(deployed({})).toMatchObject({ passwordSource: 'none' });
    expect(deployed({}).password).toBeUndefined();
  });

  it("sends the deploy's password only to the deployed database, as its superuser", () => {
    tfvars('from-file');
    expect(resolveDatabase({ url: 'postgres://postgres@localhost:5433/usualstore', env: {}, projectDir: project })).toMatchObject({
      passwordSource: 'terraform.tfvars',
    });
    for (const url of [
      'postgres://postgres@db.example:5433/usualstore',
      'postgres://postgres@127.0.0.1:5432/usualstore',
      'postgres://app@127.0.0.1:5433/usualstore',
    ]) {
      expect(resolveDatabase({ url, env: {}, projectDir: project })).toMatchObject({ passwordSource: 'none' });
    }
  });
});
