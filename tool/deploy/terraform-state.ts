/**
 * What the data stack's state says this project created: the names of its Docker volumes. The
 * state is where config/state-backend.ts puts it: terraform.usualstore-data.tfstate at the
 * project root, or the pg backend's table (<schema>.states, row "default"), read with PGUSER and
 * PGPASSWORD as Terraform reads it. Read, never written: Terraform owns it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../base/errors';
import { ConnectionError } from '../db/connect';
import { withSession } from '../db/session';
import { parseTarget, withPassword } from '../db/target';
import { oneLine } from '../base/text';
import { localStateFile, STATE_PG_URL_VARIABLE, stateSchema, type StateBackend } from '../../config/state-backend';
import { VOLUME_RECORD_ID } from '../../config/deploy-checks';

interface StateFile {
  resources?: {
    type?: string;
    name?: string;
    mode?: string;
    instances?: { attributes?: { name?: unknown; input?: { value?: { volume?: unknown } } } }[];
  }[];
}

export function stateFile(projectDir: string, stack: string): string {
  return path.join(projectDir, localStateFile(stack));
}

/** Volume names the state file records; none when there is no state yet. */
export function volumesInState(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return volumesIn(text, file);
}

/** The pg backend's copy of `stack`'s state (undefined: none yet), read as Terraform reads it:
 * the user and password from PGUSER and PGPASSWORD only. */
async function pgState(connStr: string, stack: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const schema = stateSchema(stack);
  try {
    const url = parseTarget(connStr, STATE_PG_URL_VARIABLE, env);
    const target = env.PGPASSWORD ? withPassword(url, env.PGPASSWORD, 'PGPASSWORD') : url;
    return await withSession(target, {}, async (client) => {
      const { rows } = await client.query<{ data: string | null }>(
        `SELECT CASE WHEN to_regclass($1) IS NULL THEN NULL ELSE (SELECT data FROM ${`"${schema}".states`} WHERE name = 'default') END AS data`,
        [`"${schema}".states`],
      );
      return rows[0]?.data ?? undefined;
    });
  } catch (error) {
    // A refused connection says what to check itself.
    if (error instanceof ConnectionError)
      throw new UserError(`cannot read the state of ${stack} from ${STATE_PG_URL_VARIABLE}: ${error.message}`);
    throw new UserError(
      `cannot read the state of ${stack} from ${STATE_PG_URL_VARIABLE} (${oneLine((error as Error).message)}); check the URL, PGUSER and PGPASSWORD`,
    );
  }
}

/** The volumes `stack`'s state records, wherever the backend keeps it; undefined when this
 * command cannot read that backend (S3 needs AWS's SDK). */
export async function volumesInStackState(
  projectDir: string,
  stack: string,
  backend: StateBackend,
  env: NodeJS.ProcessEnv,
): Promise<string[] | undefined> {
  if (backend.kind === 'local') return volumesInState(stateFile(projectDir, stack));
  if (backend.kind === 's3') return undefined;
  const text = await pgState(backend.connStr, stack, env);
  return text === undefined ? [] : volumesIn(text, `the ${stack} state in ${STATE_PG_URL_VARIABLE}`);
}

function volumesIn(text: string, file: string): string[] {
  let state: StateFile;
  try {
    state = JSON.parse(text) as StateFile;
  } catch {
    throw new UserError(`${file} is not valid JSON; restore it from ${path.basename(file)}.backup before deploying`);
  }
  // The volume itself (until a refresh drops it: Docker no longer has it), and the stack's record
  // of having created it (config/deploy-checks.ts), which no refresh drops.
  const resources = (state.resources ?? []).filter((r) => r.mode === 'managed');
  const volumes = resources.filter((r) => r.type === 'docker_volume').flatMap((r) => (r.instances ?? []).map((i) => i.attributes?.name));
  const records = resources
    .filter((r) => r.type === 'terraform_data' && r.name === VOLUME_RECORD_ID)
    .flatMap((r) => (r.instances ?? []).map((i) => i.attributes?.input?.value?.volume));
  return [...new Set([...volumes, ...records])].filter((name): name is string => typeof name === 'string');
}
