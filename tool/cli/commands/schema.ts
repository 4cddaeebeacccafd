/** `usualstore-db schema dump [FILE]`: the schema as SQL, deterministic (default: schema.sql). */
import path from 'node:path';
import { projectRoot } from '../../base/project';
import { routeTo } from '../../operations/route';
import { schemaDump, SCHEMA_FILE } from '../../operations/schema-dump';
import { say, warn } from '../output';
import type { InputOf } from '../options';
import { database, migrations } from '../values';

export async function dump(input: InputOf<'schema dump'>): Promise<number> {
  const file = input.positionals[0] ?? path.join(projectRoot(), SCHEMA_FILE);
  const target = database(input);
  await schemaDump({ route: routeTo(target), target, migrations: migrations(input), file, say: file === '-' ? warn : say });
  return 0;
}
