/**
 * The Docker volume that holds PGDATA. It lives alone in the data stack so that destroying
 * and re-creating the database (container, image, network) never touches it.
 */
import { Construct } from 'constructs';
import { DataResource } from 'cdktf';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { Labels } from '../../config/database';
import { VOLUME_RECORD_ID } from '../../config/deploy-checks';
import { dockerLabels } from './docker-labels';
import type { Precondition } from './deploy-refusals';

export interface DataVolumeProps {
  readonly name: string;
  readonly labels: Labels;
  /** false only while the guard is deliberately lifted (see config/volume-guard.ts). */
  readonly preventDestroy: boolean;
  /** What must hold before the volume is created or changed (the synth's refusals). @default none */
  readonly preconditions?: Precondition[];
}

export class DataVolume extends Construct {
  readonly volume: Volume;
  /** The stack's record of having created the volume (config/deploy-checks.ts). */
  readonly record: DataResource;

  constructor(scope: Construct, id: string, props: DataVolumeProps) {
    super(scope, id);
    this.volume = new Volume(this, 'volume', {
      name: props.name,
      labels: dockerLabels(props.labels),
      lifecycle: { preventDestroy: props.preventDestroy, ...(props.preconditions?.length ? { precondition: props.preconditions } : {}) },
    });
    // A stable, readable address (docker_volume.<name>) that survives refactoring the construct
    // tree: a changed address would plan a destroy + create of the data.
    this.volume.overrideLogicalId(props.name);
    // The name alone, not a reference to the volume: the record must not change when a refresh
    // finds the volume gone.
    this.record = new DataResource(this, 'record', { input: { volume: props.name }, dependsOn: [this.volume] });
    this.record.overrideLogicalId(VOLUME_RECORD_ID);
  }
}
