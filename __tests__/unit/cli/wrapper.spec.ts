/**
 * ./usualstore-db, the launcher users type: it leaves NODE_EXTRA_CA_CERTS out (Node 20 reads the
 * whole bundle at every start) unless the connection may use TLS, and passes everything else on.
 * A `node` on PATH that prints what it was given stands in for the real one.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../support/cli';
import { tempDir } from '../../support/temp';

describe('./usualstore-db', () => {
  let bin: string;
  beforeAll(() => {
    bin = tempDir('wrapper');
    fs.writeFileSync(path.join(bin, 'node'), '#!/bin/sh\necho "CA=${NODE_EXTRA_CA_CERTS-unset} ARGS=$*"\n', { mode: 0o755 });
  });
  afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    execFileSync(path.join(PROJECT_ROOT, 'usualstore-db'), args, {
      env: { PATH: `${bin}:/usr/bin:/bin`, NODE_EXTRA_CA_CERTS: '/etc/extra.pem', ...env },
      encoding: 'utf8',
    }).trim();

  it('drops NODE_EXTRA_CA_CERTS when nothing asks for TLS, and passes the arguments on as given', () => {
    expect(run(['migrate', 'status', '--json'])).toBe(
      `CA=unset ARGS=${path.join(PROJECT_ROOT, 'bin', 'usualstore-db.js')} migrate status --json`,
    );
    expect(run(['status'], { DATABASE_URL: 'postgres://u@db.example:5432/app' })).toMatch(/^CA=unset /);
  });

  it('keeps it when the URL, an argument or PGSSLMODE may use TLS', () => {
    expect(run(['status'], { DATABASE_URL: 'postgres://u@db.example:5432/app?sslmode=verify-full' })).toMatch(/^CA=\/etc\/extra\.pem /);
    expect(run(['copy', '--to', 'postgres://u@rds.example/app?sslmode=require'])).toMatch(/^CA=\/etc\/extra\.pem /);
    expect(run(['status'], { PGSSLMODE: 'require' })).toMatch(/^CA=\/etc\/extra\.pem /);
  });
});
