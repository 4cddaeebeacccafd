/** The loose comparison of schema definitions behind migrate adopt. */
import { extraIn, indexWithoutName, looseDefinition, missingFrom, type SchemaShape } from '../../../tool/migrator/verify/schema-shape';

describe('schema shapes', () => {
  it('two spellings of one CHECK (before and after pg_restore) compare equal; different ones do not', () => {
    const created = `CHECK (((role)::text = ANY ((ARRAY['user'::character varying, 'system'::character varying])::text[])))`;
    const restored = `CHECK (((role)::text = ANY (ARRAY[('user'::character varying)::text, ('system'::character varying)::text])))`;
    expect(looseDefinition(created)).toBe(looseDefinition(restored));
    expect(looseDefinition(created)).not.toBe(looseDefinition(restored.replace("'system'", "'admin'")));
    expect(looseDefinition('CHECK ((a)::integer > 0 AND b > 0)')).not.toBe(looseDefinition('CHECK ((a)::integer > 0 AND c > 0)'));
  });

  it('index definitions without their names', () => {
    expect(indexWithoutName('CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email)')).toBe(
      'UNIQUE index USING btree (email)',
    );
    expect(indexWithoutName('CREATE INDEX "odd name" ON ONLY public."Odd" USING btree (x)')).toBe('index USING btree (x)');
  });

  const shape = (s: Partial<SchemaShape>): SchemaShape => ({
    tables: new Set(),
    columns: new Map(),
    constraints: new Map(),
    indexes: new Map(),
    indexNames: new Map(),
    ...s,
  });
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

  it('names an index in a finding, though its name is no part of the comparison', () => {
    const index = 'users: index USING btree (email)';
    const named = (name: string) =>
      shape({ tables: new Set(['users']), indexes: keyed(index), indexNames: new Map([[looseDefinition(index), name]]) });
    const none = shape({ tables: new Set(['users']) });
    expect(extraIn(named('users_email_by_hand'), none)).toEqual([
      'index users_email_by_hand on users: index USING btree (email) is not made by any migration',
    ]);
    expect(missingFrom(named('idx_users_email'), none)).toEqual([
      'index missing on users: index USING btree (email) (idx_users_email in the migrations)',
    ]);
    // Named differently in the two: the same index.
    expect(missingFrom(named('idx_users_email'), named('users_email_idx'))).toEqual([]);
  });
});
