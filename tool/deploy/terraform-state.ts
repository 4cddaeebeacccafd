/**
 * What the data stack's local state (terraform.usualstore-data.tfstate at the project root, where
 * stacks/docker-stack.ts puts it) says this project created: the names of its Docker volumes.
 * Read, never written: Terraform owns the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../base/errors';

interface StateFile {
  resources?: { type?: string; mode?: string; instances?: { attributes?: { name?: unknown } }[] }[];
}

export function stateFile(projectDir: string, stack: string): string {
  return path.join(projectDir, `terraform.${stack}.tfstate`);
}

/** Volume names recorded in the state file; none when there is no state yet. */
export function volumesInState(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let state: StateFile;
  try {
    state = JSON.parse(text) as StateFile;
  } catch {
    throw new UserError(`${file} is not valid JSON; restore it from terraform.*.tfstate.backup before deploying`);
  }
  return (state.resources ?? [])
    .filter((r) => r.type === 'docker_volume' && r.mode === 'managed')
    .flatMap((r) => r.instances ?? [])
    .map((i) => i.attributes?.name)
    .filter((name): name is string => typeof name === 'string');
}
