/**
 * The bridge network shared by the database and the application containers, on which the
 * database answers to its alias (`database`).
 */
import { Construct } from 'constructs';
import { Network } from '@cdktf/provider-docker/lib/network';
import { Labels } from '../../config/database';
import { dockerLabels } from './docker-labels';

export interface ApplicationNetworkProps {
  readonly name: string;
  readonly labels: Labels;
}

export class ApplicationNetwork extends Construct {
  readonly network: Network;

  constructor(scope: Construct, id: string, props: ApplicationNetworkProps) {
    super(scope, id);
    this.network = new Network(this, 'network', {
      name: props.name,
      driver: 'bridge',
      labels: dockerLabels(props.labels),
    });
    this.network.overrideLogicalId(props.name);
  }
}
