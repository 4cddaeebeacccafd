/**
 * Stack `usualstore-data`: the data volume and nothing else, so that no change to the database
 * stack, and no `cdktf destroy usualstore-database`, can plan anything against the data.
 */
import { Construct } from 'constructs';
import { DatabaseConfig } from '../config/database';
import { DataVolume } from './constructs/data-volume';
import { DeployRefusals } from './constructs/deploy-refusals';
import { DockerStack } from './docker-stack';
import type { StateBackend } from '../config/state-backend';
import { DATA_STACK_NAME } from '../config/stacks';

export { DATA_STACK_NAME };

export interface DataStackProps {
  readonly config: DatabaseConfig;
  /** Where Terraform keeps the state (config/state-backend.ts). */
  readonly state: StateBackend;
  /** Lift the prevent_destroy guard on the volume (only `npm run wipe` does, see config/volume-guard.ts). */
  readonly allowVolumeDestroy: boolean;
}

export class DataStack extends DockerStack {
  readonly volume: DataVolume;

  constructor(scope: Construct, props: DataStackProps) {
    super(scope, DATA_STACK_NAME, props.state);
    // A volume Docker lost while the state still records it: never re-created empty unasked.
    const refusals = new DeployRefusals(this, 'deploy-refusals');
    this.volume = new DataVolume(this, 'data-volume', {
      name: props.config.volumeName,
      labels: props.config.volumeLabels,
      preventDestroy: !props.allowVolumeDestroy,
      preconditions: [refusals.precondition],
    });
  }
}
