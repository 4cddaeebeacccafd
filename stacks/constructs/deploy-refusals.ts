/**
 * A stack's reading of what the synth's checks refused (config/deploy-checks.ts): a local value
 * holding the lines of REFUSALS_FILE in the stack's directory (Terraform's working directory),
 * and the precondition that fails with them. The resource whose creation or change must not go
 * ahead carries it; Terraform checks preconditions on every plan but a destroy, whoever runs it.
 */
import { Construct } from 'constructs';
import { TerraformLocal } from 'cdktf';
import { REFUSALS_FILE } from '../../config/deploy-checks';

export interface Precondition {
  readonly condition: string;
  readonly errorMessage: string;
}

export class DeployRefusals extends Construct {
  /** Fails with the refusals' own words when there are any. */
  readonly precondition: Precondition;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const file = JSON.stringify(REFUSALS_FILE);
    const refusals = new TerraformLocal(this, 'refusals', `\${fileexists(${file}) ? trimspace(file(${file})) : ""}`);
    refusals.overrideLogicalId('deploy_refusals');
    // A condition must name something of the configuration (Terraform refuses one that names
    // nothing): the local, not the file functions themselves.
    this.precondition = { condition: '${local.deploy_refusals == ""}', errorMessage: '${local.deploy_refusals}' };
  }
}
