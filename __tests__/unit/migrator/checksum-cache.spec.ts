/** The checksum cache for long histories: a cached checksum is used only for an untouched file. */
import fs from 'node:fs';
import path from 'node:path';
import { checksumOf } from '../../../tool/migrator/checksum';
import { directoryStamp, openChecksumCache, rememberDigest, rememberedDigest } from '../../../tool/migrator/checksum-cache';
import { tempDir } from '../../support/temp';

describe('openChecksumCache', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('checksum-cache')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('remembers a checksum across runs, and notices any write, even one that keeps size and mtime', () => {
    const file = path.join(dir, '20240101000001_a.ts');
    const cacheFile = path.join(dir, 'cache', 'checksums.json');
    fs.writeFileSync(file, 'create a');
    const first = openChecksumCache(cacheFile);
    expect(first.checksum(file)).toBe(checksumOf('create a'));
    first.save();
    expect(fs.existsSync(cacheFile)).toBe(true);

    // The same bytes again: from the cache (no read needed), still right.
    expect(openChecksumCache(cacheFile).checksum(file)).toBe(checksumOf('create a'));

    // Same size, mtime set back to what it was: the write still changed ctime.
    const { mtime, atime } = fs.statSync(file);
    fs.writeFileSync(file, 'create b');
    fs.utimesSync(file, atime, mtime);
    expect(openChecksumCache(cacheFile).checksum(file)).toBe(checksumOf('create b'));
  });

  it('starts afresh from a corrupt cache, and never fails on a read-only one', () => {
    const file = path.join(dir, '20240101000001_a.ts');
    fs.writeFileSync(file, 'x');
    const cacheFile = path.join(dir, 'checksums.json');
    fs.writeFileSync(cacheFile, '{not json');
    const cache = openChecksumCache(cacheFile);
    expect(cache.checksum(file)).toBe(checksumOf('x'));
    expect(() => openChecksumCache(path.join(dir, 'missing-dir-file', 'x', 'y')).save()).not.toThrow();
  });
});

describe('directoryStamp and the remembered digest', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('directory-stamp')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const stamp = () => directoryStamp(dir, fs.readdirSync(dir));

  it('changes with any write (even one that keeps size and mtime), any added entry, and is the same otherwise', () => {
    const file = path.join(dir, '20240101000001_a.ts');
    fs.writeFileSync(file, 'create a');
    const first = stamp();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(stamp()).toBe(first);
    expect(directoryStamp(dir, [...fs.readdirSync(dir)].reverse())).toBe(first);

    const { mtime, atime } = fs.statSync(file);
    fs.writeFileSync(file, 'create b');
    fs.utimesSync(file, atime, mtime);
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
});
