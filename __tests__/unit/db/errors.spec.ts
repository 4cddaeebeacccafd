import { describeConnectionError, describeQueryError, isTransientConnectionError } from '../../../tool/db/errors';
import type { DatabaseTarget } from '../../../tool/db/target';

const target: DatabaseTarget = {
  connectionString: 'postgres://u:pw@h:1/d',
  host: 'h',
  port: 1,
  user: 'u',
  database: 'd',
  label: 'u@h:1/d',
  parameters: {},
  password: 'pw',
  passwordSource: 'the URL',
  origin: 'DATABASE_URL',
};
const err = (fields: Record<string, string>) => Object.assign(new Error(fields.message ?? 'x'), fields);

describe('connection errors', () => {
  it('retries only what waiting can fix', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '57P03']) expect(isTransientConnectionError(err({ code }))).toBe(true);
    expect(isTransientConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientConnectionError(new Error('timeout expired'))).toBe(true);
    for (const code of ['28P01', '3D000', '28000', 'ENOTFOUND']) expect(isTransientConnectionError(err({ code }))).toBe(false);
  });

  it('names the target, never the password', () => {
    expect(describeConnectionError(err({ code: '28P01' }), target)).toBe(
      'password authentication failed for user "u" at h:1; check the password in the URL (percent-encoded: @ as %40)',
    );
    expect(describeConnectionError(err({ code: '3D000' }), target)).toMatch(/^database "d" does not exist on h:1/);
    expect(describeConnectionError(new Error('timeout expired'), target, 5000)).toBe(
      'no answer from h:1 within 5 s (connect timeout); is the host right and the server up?',
    );
    expect(describeConnectionError(err({ code: 'ECONNREFUSED' }), target)).toBe('nothing is listening on h:1 (connection refused)');
    expect(describeConnectionError(err({ code: 'ECONNREFUSED' }), target, undefined, true)).toBe(
      'nothing is listening on h:1 (connection refused); is PostgreSQL running? (--wait SECONDS waits for it)',
    );
  });
});

describe('a refused password names where it came from, and its usual cause', () => {
  it.each<[DatabaseTarget['passwordSource'], RegExp]>([
    [
      'terraform.tfvars',
      /at h:1 with the password from terraform\.tfvars: the server still has the password it was created with .* deploy again: a new password replaces the container/,
    ],
    ['TF_VAR_postgres_password', /with the password from TF_VAR_postgres_password: the server still has the password it was created with/],
    ['PGPASSWORD', /at h:1; check PGPASSWORD$/],
    ['USUALSTORE_PASSWORD_COMMAND', /with the password USUALSTORE_PASSWORD_COMMAND printed; check what the command reads/],
    [
      'none',
      /no password was given: the password file \/home\/x\/\.pgpass has no line for h:1:d:u\); put it in the URL, PGPASSWORD, USUALSTORE_PASSWORD_COMMAND or the password file$/,
    ],
    ['the password file', /with the password from \/home\/x\/\.pgpass: check its line for this host, port, database and user$/],
  ])('%s', (passwordSource, message) => {
    const passwordFile = { file: '/home/x/.pgpass', ...(passwordSource === 'none' ? { unused: 'has no line for h:1:d:u' } : {}) };
    expect(describeConnectionError(err({ code: '28P01' }), { ...target, passwordSource, passwordFile })).toMatch(message);
  });

  it('a CA file that went missing is named as such, not as a socket', () => {
    const tls = { ...target, parameters: { sslmode: 'verify-full', sslrootcert: 'rds-ca-bundle.pem' } };
    expect(describeConnectionError(err({ code: 'ENOENT', path: 'rds-ca-bundle.pem' }), tls)).toBe(
      'the CA file rds-ca-bundle.pem (sslrootcert) does not exist',
    );
  });
});

describe('query errors', () => {
  it('quotes message, detail, hint, position and SQLSTATE on one line', () => {
    const sql = 'CREATE TABLE t (id int);\nCREATE TABEL u (id int)';
    const text = describeQueryError(
      err({ message: 'syntax error at or near "TABEL"', code: '42601', position: String(sql.indexOf('TABEL') + 1), hint: 'check\nit' }),
      sql,
    );
    expect(text).toBe(
      'syntax error at or near "TABEL"; hint: check it; at character 33: ...t (id int); CREATE TABEL u (id int)...; SQLSTATE 42601',
    );
  });
});
