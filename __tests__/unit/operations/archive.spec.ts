/** Recognising a backup by its first bytes, and the sizes shown. */
import { isCustomArchiveHeader, isPlainDumpHeader } from '../../../tool/operations/archive';
import { formatBytes } from '../../../tool/base/text';

describe('archive signature and sizes', () => {
  it('recognises pg_dump custom format by its PGDMP magic', () => {
    expect(isCustomArchiveHeader(Buffer.from('PGDMP\x01\x0e'))).toBe(true);
    expect(isCustomArchiveHeader(Buffer.from('--\n-- PostgreSQL database dump'))).toBe(false);
    expect(isCustomArchiveHeader(Buffer.from('PGD'))).toBe(false);
  });

  it("recognises a plain SQL dump by pg_dump's header comment", () => {
    expect(isPlainDumpHeader(Buffer.from('--\n-- PostgreSQL database dump\n--\n'))).toBe(true);
    expect(isPlainDumpHeader(Buffer.from('CREATE TABLE oops (id int);\n'))).toBe(false);
    expect(isPlainDumpHeader(Buffer.from('-- my notes\nDROP TABLE users;\n'))).toBe(false);
  });

  it('writes sizes as pg_size_pretty does', () => {
    expect([formatBytes(0), formatBytes(10239), formatBytes(10240), formatBytes(8977767), formatBytes(20 * 1024 ** 3)]).toEqual([
      '0 bytes',
      '10239 bytes',
      '10 kB',
      '8767 kB',
      '20 GB',
    ]);
  });
});
