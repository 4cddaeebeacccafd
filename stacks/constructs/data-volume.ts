/**
 * The Docker volume that holds PGDATA. It lives alone in the data stack so that destroying
 * and re-creating the database (container, image, network) never touches it.
 */
import { Construct } from 'constructs';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { Labels } from '../../config/database';
import { dockerLabels } from './docker-labels';

export interface DataVolumeProps {
  readonly name: string;
  readonly labels: Labels;
  /** false only while the guard is deliberately lifted (see config/volume-guard.ts). */
  readonly preventDestroy: boolean;
}

export class DataVolume extends Construct {
  readonly volume: Volume;

  constructor(scope: Construct, id: string, props: DataVolumeProps) {
    super(scope, id);
    this.volume = new Volume(this, 'volume', {
      name: props.name,
      labels: dockerLabels(props.labels),
      lifecycle: { preventDestroy: props.preventDestroy },
    });
    // A stable, readable address (docker_volume.<name>) that survives refactoring the construct
    // tree: a changed address would plan a destroy + create of the data.
    this.volume.overrideLogicalId(props.name);
  }
}
