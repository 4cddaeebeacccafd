/**
 * The migrations directory (tool/migrator/directory): its listing refuses what is not a migration,
 * and its remembered checksums and digest are used only for untouched files. "Untouched" is
 * decided by size, inode, mtime and ctime: these tests write new bytes of the same size and put
 * the mtime back to the nanosecond (touch -r), so that only ctime can tell; a cache that dropped
 * ctime from its key would fail them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checksumOf, MigrationsDirectory } from '../../../tool/migrator/directory';
import { directoryStamp, openChecksumCache, rememberDigest, rememberedDigest } from '../../../tool/migrator/directory/checksums';
import { tempDir } from '../../support/temp';

/** Writes `text` (the same size as before) into `file` and puts its atime and mtime back exactly. */
function rewriteKeepingTimes(file: string, text: string): void {
  const reference = `${file}.times`;
  fs.writeFileSync(reference, '');
  execFileSync('touch', ['-r', file, reference]);
  const before = fs.statSync(file, { bigint: true });
  fs.writeFileSync(file, text);
  execFileSync('touch', ['-r', reference, file]);
  fs.rmSync(reference);
  const after = fs.statSync(file, { bigint: true });
  // What the test is about: only ctime differs.
  expect([after.size, after.ino, after.mtimeNs]).toEqual([before.size, before.ino, before.mtimeNs]);
  expect(after.ctimeNs).not.toBe(before.ctimeNs);
}

/** ctime has the file system's resolution: let the clock move on before the next write. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the checksum cache of long histories', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('checksum-cache')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('remembers a checksum across runs, and notices a write that keeps size, inode and mtime', async () => {
    const file = path.join(dir, '20240101000001_a.ts');
    fs.writeFileSync(file, 'create a');
    const first = openChecksumCache(dir);
    expect(first.checksum(file)).toBe(checksumOf('create a'));
    first.save();
    // The same bytes again: from the cache, still right.
    expect(openChecksumCache(dir).checksum(file)).toBe(checksumOf('create a'));
    await tick();
    rewriteKeepingTimes(file, 'create b');
    expect(openChecksumCache(dir).checksum(file)).toBe(checksumOf('create b'));
  });

  it('starts afresh from a corrupt cache', () => {
    const file = path.join(dir, '20240101000001_a.ts');
    fs.writeFileSync(file, 'x');
    const cache = openChecksumCache(dir);
    cache.save();
    expect(openChecksumCache(dir).checksum(file)).toBe(checksumOf('x'));
  });
});

describe('directoryStamp and the remembered digest', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('directory-stamp')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const stamp = () => directoryStamp(dir, fs.readdirSync(dir));

  it('changes with any write (even one that keeps size, inode and mtime), any added entry, and is the same otherwise', async () => {
    const file = path.join(dir, '20240101000001_a.ts');
    fs.writeFileSync(file, 'create a');
    const first = stamp();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(stamp()).toBe(first);
    expect(directoryStamp(dir, [...fs.readdirSync(dir)].reverse())).toBe(first);
    await tick();
    rewriteKeepingTimes(file, 'create b');
    const second = stamp();
    expect(second).not.toBe(first);
    fs.writeFileSync(path.join(dir, 'README.txt'), '');
    expect(stamp()).not.toBe(second);
  });

  it('is undefined when an entry cannot be stat-ed, and a digest is given back only for its own stamp', () => {
    fs.symlinkSync(path.join(dir, 'gone.ts'), path.join(dir, '20240101000001_link.ts'));
    expect(stamp()).toBeUndefined();
    fs.rmSync(path.join(dir, '20240101000001_link.ts'));
    const digest = { digest: 'd'.repeat(64), count: 1, newest: '20240101000001_a' };
    rememberDigest(dir, 'stamp-1', digest);
    expect(rememberedDigest(dir, 'stamp-1')).toEqual(digest);
    expect(rememberedDigest(dir, 'stamp-2')).toBeUndefined();
  });

  it("a directory's digest is remembered, and an edit that keeps size, inode and mtime is still seen", async () => {
    const file = path.join(dir, '20240101000001_a.ts');
    fs.writeFileSync(file, 'create a');
    const first = new MigrationsDirectory(dir).digest()!;
    expect(new MigrationsDirectory(dir).digest()).toEqual(first);
    await tick();
    rewriteKeepingTimes(file, 'create b');
    const second = new MigrationsDirectory(dir).digest()!;
    expect(second.digest).not.toBe(first.digest);
    expect(second).toEqual({ ...first, digest: second.digest });
  });
});

describe('the listing', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('listing')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('orders by version, then name; ignores hidden files, type declarations and subdirectories', () => {
    for (const name of [
      '20240101000002_b.ts',
      '20240101000001_z.sql',
      '20240101000001_a.js',
      '.swp',
      'types.d.ts',
      'superseded-checksums.json',
    ])
      fs.writeFileSync(path.join(dir, name), '');
    fs.mkdirSync(path.join(dir, 'lib'));
    expect(new MigrationsDirectory(dir).files().map((f) => path.basename(f.path))).toEqual([
      '20240101000001_a.js',
      '20240101000001_z.sql',
      '20240101000002_b.ts',
    ]);
  });

  it.each([
    [
      'a stray file',
      (d: string) => fs.writeFileSync(path.join(d, 'notes.txt'), ''),
      /notes\.txt is not a migration \(migrations are .ts .js .cjs .mjs .cts .mts .sql files\)/,
    ],
    [
      'a name without a version',
      (d: string) => fs.writeFileSync(path.join(d, 'add_x.ts'), ''),
      /add_x\.ts is not a migration name: it must start with a version/,
    ],
    [
      'two files for one migration',
      (d: string) => ['20240101000001_a.ts', '20240101000001_a.sql'].forEach((n) => fs.writeFileSync(path.join(d, n), '')),
      /two files in .* define migration 20240101000001_a/,
    ],
    [
      'a dangling link',
      (d: string) => fs.symlinkSync(path.join(d, 'elsewhere.ts'), path.join(d, '20240101000001_a.ts')),
      /20240101000001_a\.ts is a link to .*elsewhere\.ts, which does not exist; restore what it points to or remove the link/,
    ],
  ])('refuses %s in one line', (_what, arrange, message) => {
    arrange(dir);
    expect(() => new MigrationsDirectory(dir).files()).toThrow(message);
  });
});
