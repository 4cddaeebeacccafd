import { resolveTarget } from '../../../tool/db/target';

describe('resolveTarget', () => {
  it('prefers --database-url over DATABASE_URL', () => {
    const target = resolveTarget({ databaseUrl: 'postgres://app@db.example:6543/shop', env: { DATABASE_URL: 'postgres://x@y/z' } });
    expect(target).toMatchObject({ host: 'db.example', port: 6543, user: 'app', database: 'shop', label: 'app@db.example:6543/shop' });
  });

  it('defaults the port to 5432 and keeps a percent-encoded password for pg, out of the label', () => {
    const target = resolveTarget({ env: { DATABASE_URL: 'postgresql://postgres:p%40ss%2Fw%3Ard@localhost/usualstore' } });
    expect(target.port).toBe(5432);
    expect(target.label).toBe('postgres@localhost:5432/usualstore');
    expect(target.label).not.toContain('ss');
    expect(new URL(target.connectionString).password).toBe('p%40ss%2Fw%3Ard');
  });

  it('takes the user from PGUSER when the URL names none', () => {
    expect(resolveTarget({ env: { DATABASE_URL: 'postgres://127.0.0.1:5433/usualstore', PGUSER: 'ops' } }).label).toBe('ops@127.0.0.1:5433/usualstore');
  });

  it.each([
    [{}, /no database given/],
    [{ DATABASE_URL: '   ' }, /no database given/],
    [{ DATABASE_URL: 'localhost:5432/db' }, /must start with postgres:\/\//],
    [{ DATABASE_URL: 'http://localhost/db' }, /must start with postgres:\/\//],
    [{ DATABASE_URL: 'postgres://u:secret@host:99999/db' }, /is not a valid URL/],
    [{ DATABASE_URL: 'postgres://u:sec%ret@host/db' }, /password in DATABASE_URL is not valid percent-encoding/],
    [{ DATABASE_URL: 'postgres://u@host' }, /must name exactly one database/],
    [{ DATABASE_URL: 'postgres://u@host/a/b' }, /must name exactly one database/],
  ])('refuses %j', (env, message) => {
    expect(() => resolveTarget({ env })).toThrow(message);
    try {
      resolveTarget({ env });
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });
});
