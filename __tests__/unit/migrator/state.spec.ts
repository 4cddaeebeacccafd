import type { AppliedMigration } from '../../../tool/migrator/history/bookkeeping';
import type { MigrationFile } from '../../../tool/migrator/directory';
import { compareState } from '../../../tool/migrator/history/state';

const file = (name: string): MigrationFile => ({ name, path: `/m/${name}.ts`, version: BigInt(name.split('_')[0]) });
const applied = (name: string, checksum: string | null = `sum-${name}`): AppliedMigration => ({ name, runOn: new Date(0), checksum });
/** Files hash to sum-<name> unless listed as edited. */
const hashes =
  (edited: string[] = []) =>
  (f: MigrationFile) =>
    edited.includes(f.name) ? 'changed' : `sum-${f.name}`;

describe('compareState', () => {
  const a = '20240101000001_a';
  const b = '20240101000002_b';
  const c = '20240101000003_c';

  it('splits files into applied and pending, keeping file order for pending', () => {
    const state = compareState([file(a), file(b), file(c)], [applied(a)], hashes());
    expect(state.pending.map((f) => f.name)).toEqual([b, c]);
    expect(state).toMatchObject({ edited: [], missing: [], unrecorded: [], outOfOrder: [] });
  });

  it('flags applied files whose checksum changed', () => {
    const state = compareState([file(a), file(b)], [applied(a), applied(b)], hashes([b]));
    expect(state.edited).toEqual([b]);
    expect(state.pending).toEqual([]);
  });

  it('flags applied migrations without a file, and those without a recorded checksum', () => {
    const state = compareState([file(b)], [applied(a), applied(b, null)], hashes([b]));
    expect(state.missing).toEqual([a]);
    expect(state.unrecorded).toEqual([b]);
    expect(state.edited).toEqual([]); // no recorded checksum: cannot call it edited
  });

  it('hashes only applied files that exist (the no-op path loads and hashes nothing else)', () => {
    const hashed: string[] = [];
    compareState([file(a), file(b), file(c)], [applied(a), applied('20230101000000_gone')], (f) => {
      hashed.push(f.name);
      return `sum-${f.name}`;
    });
    expect(hashed).toEqual([a]);
  });

  it('flags pending migrations older than the newest applied one', () => {
    const state = compareState([file(a), file(b), file(c)], [applied(a), applied(c)], hashes());
    expect(state.outOfOrder).toEqual([{ name: b, newestApplied: c }]);
  });
});
