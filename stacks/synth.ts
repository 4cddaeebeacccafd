/**
 * An app's synth, as both apps (main.ts, production/main.ts) end it: the stacks written, and a
 * .gitignore in the output directory, whichever it is; the other
 * form of a stack's configuration removed (after `cdktf synth --hcl` a stack's directory would
 * hold cdk.tf beside cdk.tf.json, and Terraform reads both: every resource twice); then each
 * stack's kept lock file put where Terraform reads it, or a newer one an init wrote taken back
 * (config/provider-locks.ts), so that every command's `terraform init` verifies providers against
 * the reviewed hashes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { syncLockFile } from '../config/provider-locks';

const FORMS = ['cdk.tf.json', 'cdk.tf'];

export function synthApp(app: App, appDir: string): void {
  app.synth();
  // Whatever directory it is (`cdktf synth --output cdktf.alt`), git ignores what a synth wrote.
  fs.writeFileSync(path.join(app.outdir, '.gitignore'), '# Written by every synth: none of it is committed.\n*\n');
  const written = app.manifest.stackFileName;
  for (const stack of app.node.children) {
    if (!(stack instanceof TerraformStack)) continue;
    const stackDir = path.join(app.outdir, 'stacks', stack.node.id);
    for (const other of FORMS.filter((f) => f !== written)) fs.rmSync(path.join(stackDir, other), { force: true });
    syncLockFile(appDir, stack.node.id, stackDir);
  }
}
