/** The checksum cache for long histories: a cached checksum is used only for an untouched file. */
import fs from 'node:fs';
import path from 'node:path';
import { checksumOf } from '../../../tool/migrator/checksum';
import { openChecksumCache } from '../../../tool/migrator/checksum-cache';
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
