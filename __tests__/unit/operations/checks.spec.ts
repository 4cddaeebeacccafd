/**
 * The pure rules behind status, adopt and restore: warnings, the loose comparison of schema
 * definitions, the archive's signature and the sizes shown.
 */
import { isCustomArchiveHeader } from '../../../tool/operations/archive';
import { formatBytes } from '../../../tool/base/text';
import { indexWithoutName, looseDefinition, missingFrom, type SchemaShape } from '../../../tool/operations/schema-shape';
import { statusWarnings, type WarningFacts } from '../../../tool/operations/status-warnings';

const quiet: WarningFacts = {
  shippedHashUsers: [],
  unadoptedSodaVersions: 0,
  connections: { used: 3, max: 200 },
  migrations: { applied: ['a'], pending: [], edited: [] },
  missing: [],
};

describe('statusWarnings', () => {
  it('none for a healthy database', () => {
    expect(statusWarnings(quiet)).toEqual([]);
  });

  it('the shipped admin password first, one per user holding it', () => {
    const warnings = statusWarnings({ ...quiet, shippedHashUsers: [{ id: '1', email: 'boss@shop.test' }], migrations: { applied: [], pending: ['x'], edited: [] } });
    expect(warnings[0]).toMatch(/^SECURITY: user boss@shop\.test \(id 1\) still has the demo administrator's password/);
    expect(warnings).toHaveLength(2);
  });

  it('connections from 80% of max_connections', () => {
    expect(statusWarnings({ ...quiet, connections: { used: 159, max: 200 } })).toEqual([]);
    expect(statusWarnings({ ...quiet, connections: { used: 160, max: 200 } })).toEqual(['connections: 160 of max_connections 200 in use; new connections will soon be refused']);
  });

  it('a soda database not adopted replaces the pending warning (up would re-run history)', () => {
    const warnings = statusWarnings({ ...quiet, unadoptedSodaVersions: 24, migrations: { applied: [], pending: ['a', 'b'], edited: [] } });
    expect(warnings).toEqual(['migrated by soda (schema_migration holds 24 versions) but not adopted: run usualstore-db migrate adopt before migrate up']);
  });

  it('edited and missing migrations by name', () => {
    expect(statusWarnings({ ...quiet, migrations: { applied: ['a'], pending: [], edited: ['a'] }, missing: ['gone'] })).toEqual([
      'applied migrations edited since they were applied (checksum differs): a',
      'applied migrations with no file: gone',
    ]);
  });
});

describe('schema shapes', () => {
  it('two spellings of one CHECK (before and after pg_restore) compare equal; different ones do not', () => {
    const created = `CHECK (((role)::text = ANY ((ARRAY['user'::character varying, 'system'::character varying])::text[])))`;
    const restored = `CHECK (((role)::text = ANY (ARRAY[('user'::character varying)::text, ('system'::character varying)::text])))`;
    expect(looseDefinition(created)).toBe(looseDefinition(restored));
    expect(looseDefinition(created)).not.toBe(looseDefinition(restored.replace("'system'", "'admin'")));
    expect(looseDefinition('CHECK ((a)::integer > 0 AND b > 0)')).not.toBe(looseDefinition('CHECK ((a)::integer > 0 AND c > 0)'));
  });

  it('index definitions without their names', () => {
    expect(indexWithoutName('CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email)')).toBe('UNIQUE index USING btree (email)');
    expect(indexWithoutName('CREATE INDEX "odd name" ON ONLY public."Odd" USING btree (x)')).toBe('index USING btree (x)');
  });

  const shape = (s: Partial<SchemaShape>): SchemaShape => ({ tables: new Set(), columns: new Map(), constraints: new Map(), indexes: new Map(), ...s });
  const keyed = (...items: string[]) => new Map(items.map((i) => [looseDefinition(i), i]));

  it('missingFrom: what is lacking or different, one problem per missing table, extras fine', () => {
    const expected = shape({
      tables: new Set(['users', 'tokens']),
      columns: new Map([
        ['users.email', 'character varying(255) NOT NULL'],
        ['users.name', 'text'],
        ['tokens.id', 'integer NOT NULL'],
      ]),
      constraints: keyed('users: UNIQUE (email)', 'tokens: PRIMARY KEY (id)'),
      indexes: keyed('users: UNIQUE index USING btree (email)'),
    });
    const actual = shape({
      tables: new Set(['users', 'extra']),
      columns: new Map([
        ['users.email', 'text NOT NULL'],
        ['extra.x', 'integer'],
      ]),
      constraints: keyed('extra: CHECK (x > 0)'),
      indexes: keyed('users: UNIQUE index USING btree (email)'),
    });
    expect(missingFrom(expected, actual)).toEqual([
      'table tokens is missing',
      'column users.email is text NOT NULL, the migrations make it character varying(255) NOT NULL',
      'column users.name (text) is missing',
      'constraint missing on users: UNIQUE (email)',
    ]);
    expect(missingFrom(expected, expected)).toEqual([]);
  });
});

describe('archive signature and sizes', () => {
  it('recognises pg_dump custom format by its PGDMP magic', () => {
    expect(isCustomArchiveHeader(Buffer.from('PGDMP\x01\x0e'))).toBe(true);
    expect(isCustomArchiveHeader(Buffer.from('--\n-- PostgreSQL database dump'))).toBe(false);
    expect(isCustomArchiveHeader(Buffer.from('PGD'))).toBe(false);
  });

  it('writes sizes as pg_size_pretty does', () => {
    expect([formatBytes(0), formatBytes(10239), formatBytes(10240), formatBytes(8977767), formatBytes(20 * 1024 ** 3)]).toEqual(['0 bytes', '10239 bytes', '10 kB', '8767 kB', '20 GB']);
  });
});
