/**
 * The SCRAM-SHA-256 verifier the deploy preflight sets when the deploy's password differs from
 * the server's: stored by a real PostgreSQL 15 with ALTER ROLE, the password then logs in through
 * node-postgres and through psql (libpq), including passwords that SASLprep changes.
 */
import { randomBytes } from 'node:crypto';
import { scramVerifier } from '../../tool/deploy/scram';
import { PROJECT_ROOT } from '../support/cli';
import { runProcess } from '../support/process';
import { serverUrl, urlFor, withClient } from '../support/database';

const ROLE = `scram_${randomBytes(4).toString('hex')}`;

describe('scramVerifier', () => {
  afterAll(() => withClient(serverUrl(), (c) => c.query(`DROP ROLE IF EXISTS ${ROLE}`)));

  it("has PostgreSQL's form and a fresh salt each time", () => {
    expect(scramVerifier('x')).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
    expect(scramVerifier('x')).not.toBe(scramVerifier('x'));
  });

  it.each([
    ['ASCII with quotes and backslashes', `it's a "p\\w"`],
    ['accents', 'pässwörd-é'],
    // U+FB01 (ﬁ) becomes "fi" under NFKC, U+00A0 a space, U+00AD disappears: SASLprep matters.
    ['characters SASLprep maps', 'ﬁle\u00A0name\u00ADx'],
  ])('logs in with a password of %s, through node-postgres and psql', async (_name, password) => {
    await withClient(serverUrl(), async (c) => {
      await c.query(`DROP ROLE IF EXISTS ${ROLE}`);
      await c.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${scramVerifier(password)}'`);
      const stored = await c.query('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [ROLE]);
      expect(stored.rows[0].rolpassword).toMatch(/^SCRAM-SHA-256\$/);
    });
    const url = new URL(urlFor('postgres'));
    url.username = ROLE;
    url.password = encodeURIComponent(password);
    expect(await withClient(url.toString(), async (c) => (await c.query('SELECT current_user AS u')).rows[0].u)).toBe(ROLE);
    url.password = '';
    const psql = await runProcess('psql', [url.toString(), '-Atc', 'SELECT current_user'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PGPASSWORD: password },
    });
    expect(psql).toMatchObject({ code: 0, stdout: `${ROLE}\n` });
    // and a wrong password does not
    const wrong = await runProcess('psql', [url.toString(), '-Atc', 'SELECT 1'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PGPASSWORD: `${password}x` },
    });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('password authentication failed');
  });
});
