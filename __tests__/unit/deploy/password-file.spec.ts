/** The container's password file and its generation, as the deploy's preflight writes them. */
import fs from 'node:fs';
import path from 'node:path';
import { writePasswordFile } from '../../../tool/deploy/password-file';
import { PASSWORD_FILE, PASSWORD_GENERATION_FILE, SECRETS_DIR } from '../../../config/deploy-password';
import { tempDir } from '../../support/temp';

describe('writePasswordFile', () => {
  let project: string;
  beforeEach(() => (project = tempDir('password-file')));
  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));
  const read = (file: string) => fs.readFileSync(path.join(project, file), 'utf8');
  const mode = (file: string) => fs.statSync(path.join(project, file)).mode & 0o777;

  it('writes the password alone, owner-only, in an owner-only directory, with a generation that reveals nothing', () => {
    expect(writePasswordFile(project, 's3cret pass')).toBe('written');
    expect(read(PASSWORD_FILE)).toBe('s3cret pass');
    expect([mode(SECRETS_DIR), mode(PASSWORD_FILE), mode(PASSWORD_GENERATION_FILE)]).toEqual([0o700, 0o600, 0o600]);
    const generation = read(PASSWORD_GENERATION_FILE).trim();
    expect(generation).toMatch(/^[0-9a-f]{32}$/);
    // Random, not derived: the same password in another project gets another generation.
    const other = tempDir('password-file-other');
    try {
      writePasswordFile(other, 's3cret pass');
      expect(fs.readFileSync(path.join(other, PASSWORD_GENERATION_FILE), 'utf8').trim()).not.toBe(generation);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('keeps the generation while the password stays (no needless replacement), and changes it with the password', () => {
    writePasswordFile(project, 'one');
    const first = read(PASSWORD_GENERATION_FILE);
    expect(writePasswordFile(project, 'one')).toBe('unchanged');
    expect(read(PASSWORD_GENERATION_FILE)).toBe(first);
    expect(writePasswordFile(project, 'two')).toBe('changed');
    expect(read(PASSWORD_FILE)).toBe('two');
    expect(read(PASSWORD_GENERATION_FILE)).not.toBe(first);
  });

  it('writes a new generation when it was deleted, and tightens modes loosened by hand', () => {
    writePasswordFile(project, 'one');
    const first = read(PASSWORD_GENERATION_FILE);
    fs.rmSync(path.join(project, PASSWORD_GENERATION_FILE));
    expect(writePasswordFile(project, 'one')).toBe('changed');
    expect(read(PASSWORD_GENERATION_FILE)).not.toBe(first);
    fs.chmodSync(path.join(project, SECRETS_DIR), 0o755);
    fs.chmodSync(path.join(project, PASSWORD_FILE), 0o644);
    expect(writePasswordFile(project, 'one')).toBe('unchanged');
    expect([mode(SECRETS_DIR), mode(PASSWORD_FILE)]).toEqual([0o700, 0o600]);
  });

  it('says in one line when it cannot write the file', () => {
    fs.writeFileSync(path.join(project, SECRETS_DIR), 'a file where the directory goes');
    expect(() => writePasswordFile(project, 'one')).toThrow(/^cannot write the container's password file \.secrets\/postgres-password: /);
  });
});
