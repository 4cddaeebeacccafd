/**
 * How the client tools are invoked: the password only in the child's environment, never on a
 * command line (visible to every user through ps); inside the container, no password at all.
 */
import { resolveDatabase } from '../../../tool/db/resolve';
import { emptyProjectDir } from '../../support/temp';
import { invocation, libpqEnvironment, toolErrorLine } from '../../../tool/operations/client-tools';
import type { ClientRoute } from '../../../tool/operations/route';

const target = (url: string) => resolveDatabase({ projectDir: emptyProjectDir(), url, env: {} })!;

describe('libpqEnvironment', () => {
  it("puts the URL's parts in PG* variables, the password decoded", () => {
    const env = libpqEnvironment(target('postgres://shop:p%40ss%20word@db.internal:5433/usualstore?sslmode=require&application_name=ops'), {
      PATH: '/bin',
    });
    expect(env).toEqual({
      PATH: '/bin',
      PGHOST: 'db.internal',
      PGPORT: '5433',
      PGUSER: 'shop',
      PGDATABASE: 'usualstore',
      PGPASSWORD: 'p@ss word',
      PGSSLMODE: 'require',
      PGAPPNAME: 'ops',
    });
  });

  it('keeps an inherited PGPASSWORD when the URL has none, and drops variables that would redirect libpq', () => {
    const env = libpqEnvironment(target('postgres://postgres@localhost:5433/usualstore'), {
      PGPASSWORD: 'from-env',
      PGHOSTADDR: '10.0.0.9',
      PGSERVICE: 'prod',
    });
    expect(env).toMatchObject({ PGPASSWORD: 'from-env', PGHOST: 'localhost' });
    expect(env).not.toHaveProperty('PGHOSTADDR');
    expect(env).not.toHaveProperty('PGSERVICE');
  });
});

describe('invocation', () => {
  const local: ClientRoute = {
    kind: 'local',
    target: target('postgres://postgres:s3cret@db.internal:5432/usualstore'),
    label: 'x',
    why: 'y',
  };
  const docker: ClientRoute = {
    kind: 'docker',
    container: 'usualstore-database',
    user: 'postgres',
    database: 'usualstore',
    label: 'x',
    why: 'y',
  };

  it('local: the tool itself, its arguments untouched, the password only in the environment', () => {
    const command = invocation(local, 'pg_dump', ['--format=custom']);
    expect([command.file, ...command.args]).toEqual(['pg_dump', '--format=custom']);
    expect(JSON.stringify([command.file, command.args])).not.toContain('s3cret');
    expect(command.env.PGPASSWORD).toBe('s3cret');
    // Sessions that end with their client, after the user's own options from the URL.
    expect(command.env.PGOPTIONS).toBe('-c client_connection_check_interval=1000');
    const withOptions = { ...local, target: target('postgres://postgres@db:5432/usualstore?options=-c%20search_path%3Dapp') };
    expect(invocation(withOptions, 'psql', []).env.PGOPTIONS).toBe('-c search_path=app -c client_connection_check_interval=1000');
  });

  it('docker: exec into the container with user and database, a terminal only when asked', () => {
    expect(invocation(docker, 'pg_restore', ['--single-transaction']).args).toEqual([
      'exec',
      '-i',
      '-e',
      'PGUSER=postgres',
      '-e',
      'PGDATABASE=usualstore',
      '-e',
      'PGOPTIONS=-c client_connection_check_interval=1000',
      'usualstore-database',
      'pg_restore',
      '--single-transaction',
    ]);
    // A tool may run under an application name of its own (how restore's lock bound finds it).
    expect(invocation(docker, 'pg_restore', [], { applicationName: 'usualstore-db restore 7' }).args).toContain(
      'PGAPPNAME=usualstore-db restore 7',
    );
    expect(invocation(docker, 'psql', [], { tty: true }).args.slice(0, 3)).toEqual(['exec', '-i', '-t']);
    expect(invocation(docker, 'psql', []).file).toBe('docker');
  });
});

describe('toolErrorLine', () => {
  it("keeps the tool's first error, without its prefix, on one line", () => {
    const stderr = 'pg_restore: while PROCESSING TOC:\npg_restore: error: could not read from input file: end of file\n';
    expect(toolErrorLine('pg_restore', stderr)).toBe('could not read from input file: end of file');
    expect(
      toolErrorLine(
        'pg_dump',
        'pg_dump: error: connection to server at "h" (1.2.3.4), port 5433 failed: FATAL:  password authentication failed\n',
      ),
    ).toBe('connection to server at "h" (1.2.3.4), port 5433 failed: FATAL: password authentication failed');
    expect(toolErrorLine('psql', '')).toBe('no error output');
  });
});
