/** libpq's password file, read as libpq reads it (tool/db/pgpass.ts). */
import fs from 'node:fs';
import path from 'node:path';
import { passwordFileName, passwordFromFile } from '../../../tool/db/pgpass';
import { tempDir } from '../../support/temp';

describe('the password file', () => {
  let dir: string;
  let file: string;
  const target = { host: 'db.internal', port: 5433, database: 'shop', user: 'app' };
  const write = (text: string, mode = 0o600) => {
    fs.writeFileSync(file, text);
    fs.chmodSync(file, mode);
  };
  beforeEach(() => {
    dir = tempDir('pgpass-unit');
    file = path.join(dir, 'pgpass');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is PGPASSFILE, else ~/.pgpass', () => {
    expect(passwordFileName({ PGPASSFILE: '/x/pass', HOME: '/home/u' })).toBe('/x/pass');
    expect(passwordFileName({ HOME: '/home/u' })).toBe('/home/u/.pgpass');
  });

  it('gives the first matching line, * matching anything, \\: and \\\\ unescaped, comments skipped', () => {
    write(
      [
        '# a comment:5433:shop:app:no',
        'db.internal:5432:shop:app:wrong-port',
        'db.internal:5433:*:other:wrong-user',
        'db.internal:*:shop:app:p\\:w\\\\d:with colon',
        '*:*:*:*:too-late',
      ].join('\n'),
    );
    expect(passwordFromFile(target, { PGPASSFILE: file })).toEqual({ file, password: 'p:w\\d:with colon' });
  });

  it('matches a Unix-socket connection as localhost', () => {
    write('localhost:5433:shop:app:socket\n');
    expect(passwordFromFile({ ...target, host: '/var/run/postgresql' }, { PGPASSFILE: file }).password).toBe('socket');
  });

  it('says why it gives none: not there, readable by others (ignored, as libpq does), no line', () => {
    expect(passwordFromFile(target, { PGPASSFILE: file })).toEqual({ file, unused: 'is not there' });
    write('*:*:*:*:secret\n', 0o644);
    expect(passwordFromFile(target, { PGPASSFILE: file })).toEqual({
      file,
      unused: 'may be read by others, so it is ignored (chmod 600 it)',
    });
    write('other:5433:shop:app:x\n');
    expect(passwordFromFile(target, { PGPASSFILE: file })).toEqual({ file, unused: 'has no line for db.internal:5433:shop:app' });
  });
});
