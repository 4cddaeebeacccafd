/**
 * Paths that Terraform follows from a stack's working directory, <outdir>/stacks/<stack id>
 * (cdktf's manifest layout): the state file, the migration hook's command and directory, a CA
 * file. They are written RELATIVE to that directory, so that no path of the synthesizing machine
 * enters the reviewed JSON and the same commit synthesizes the same bytes in every checkout. That
 * only works while the output directory lies inside the project: one outside it (`cdktf synth
 * --output /tmp/x`) would put the machine's directory names into the JSON, so it is refused in
 * one line. Both apps (the local one and production/) use these.
 */
import path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { ConfigError } from '../config/database';
import { projectRoot } from '../tool/base/project';

/** The absolute output directory, or a ConfigError when it is not inside the project. */
export function checkedOutdir(outdir: string): string {
  const absolute = path.resolve(outdir);
  const root = projectRoot();
  const inside = path.relative(root, absolute);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new ConfigError(
      `the cdktf output directory ${absolute} is not inside the project ${root}: the state file and the migration hook are addressed relative to the project; synthesize into a directory inside it (cdktf.json's "output", cdktf.out)`,
    );
  }
  return absolute;
}

/** `target` (absolute) as Terraform reaches it from the working directory of `scope`'s stack. */
export function fromStackDir(scope: IConstruct, target: string): string {
  const outdir = checkedOutdir(App.of(scope).outdir);
  const stackDir = path.join(outdir, 'stacks', TerraformStack.of(scope).node.id);
  // POSIX separators: Terraform runs the hook's command with /bin/sh.
  return path.relative(stackDir, target).split(path.sep).join('/') || '.';
}

/** A file at the project root (`terraform.<stack>.tfstate`, a CA bundle) from the stack's directory. */
export function projectFile(scope: IConstruct, ...parts: string[]): string {
  return fromStackDir(scope, path.join(projectRoot(), ...parts));
}
