/**
 * An Amazon RDS for PostgreSQL 15 instance that a careful platform team would sign off: private,
 * encrypted, TLS only, its password kept by RDS in Secrets Manager (none in the configuration,
 * the plan or the state), backed up, monitored, and guarded against deletion twice (RDS's
 * deletion protection and Terraform's prevent_destroy), with a final snapshot if it is deleted
 * all the same. terraform-aws-modules/terraform-aws-rds and its issues are the reference for
 * the choices (engine version by major, parameter group by name prefix, log groups created
 * first so that their retention applies).
 *
 * Per-resource imports of @cdktf/provider-aws: its package index costs ~6 s per synth.
 * Resources have fixed addresses (aws_db_instance.database, ...), as in the local stacks.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { IResolvable } from 'cdktf';
import { Construct } from 'constructs';
import { valueIf } from './expressions';

export interface RdsPostgresProps {
  readonly identifier: string;
  /** @default 'usualstore' */
  readonly databaseName?: string;
  /** @default 'postgres' (the master user; RDS keeps its password in Secrets Manager) */
  readonly masterUsername?: string;
  readonly instanceClass: string;
  readonly allocatedStorageGb: number;
  /** Storage autoscaling limit. */
  readonly maxAllocatedStorageGb: number;
  readonly multiAz: boolean | IResolvable;
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly allowedCidrBlocks: string[];
  readonly allowedSecurityGroupIds: string[];
  /** A customer-managed KMS key for storage, logs and the secret; undefined (or an expression
   * that is null): the AWS-managed keys. */
  readonly kmsKeyArn?: string;
  readonly backupRetentionDays: number;
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
  readonly deletionProtection: boolean | IResolvable;
  readonly logRetentionDays: number;
  readonly performanceInsightsRetentionDays: number;
  /** Enhanced Monitoring interval in seconds; 0 turns it off. */
  readonly monitoringIntervalSeconds: number;
  /** Whether Enhanced Monitoring is on: monitoringIntervalSeconds > 0 (an expression, when that is a variable). */
  readonly monitoringEnabled: boolean | IResolvable;
  /** @default 200, as the local container */
  readonly maxConnections?: number;
}

/** The port RDS listens on, inside the VPC. */
export const POSTGRES_PORT = 5432;

export class RdsPostgres extends Construct {
  readonly instance: DbInstance;
  readonly securityGroup: SecurityGroup;
  /** The instance's host name (what applications and the migrator connect to). */
  readonly address: string;
  readonly port: number;
  /** The Secrets Manager secret RDS keeps the master password in. */
  readonly secretArn: string;
  readonly databaseName: string;
  readonly masterUsername: string;

  constructor(scope: Construct, id: string, props: RdsPostgresProps) {
    super(scope, id);
    this.databaseName = props.databaseName ?? 'usualstore';
    this.masterUsername = props.masterUsername ?? 'postgres';

    const subnets = new DbSubnetGroup(this, 'subnets', {
      namePrefix: `${props.identifier}-`,
      subnetIds: props.subnetIds,
      description: `${props.identifier}: private subnets`,
      lifecycle: { createBeforeDestroy: true },
    });
    subnets.overrideLogicalId('database');

    this.securityGroup = new SecurityGroup(this, 'security-group', {
      namePrefix: `${props.identifier}-`,
      vpcId: props.vpcId,
      description: `${props.identifier}: PostgreSQL from the allowed networks only`,
      ingress: [
        {
          description: 'PostgreSQL',
          fromPort: POSTGRES_PORT,
          toPort: POSTGRES_PORT,
          protocol: 'tcp',
          cidrBlocks: props.allowedCidrBlocks,
          securityGroups: props.allowedSecurityGroupIds,
        },
      ],
      // No egress: the database starts no connection of its own.
      egress: [],
      lifecycle: { createBeforeDestroy: true },
    });
    this.securityGroup.overrideLogicalId('database');

    // A name prefix and create-before-destroy: a change of family (a major upgrade) creates the
    // new group before the instance leaves the old one, instead of failing on a group in use.
    const parameters = new DbParameterGroup(this, 'parameters', {
      namePrefix: `${props.identifier}-`,
      family: 'postgres15',
      description: `${props.identifier}: max_connections and TLS only`,
      parameter: [
        { name: 'max_connections', value: String(props.maxConnections ?? 200), applyMethod: 'pending-reboot' },
        { name: 'rds.force_ssl', value: '1', applyMethod: 'immediate' },
      ],
      lifecycle: { createBeforeDestroy: true },
    });
    parameters.overrideLogicalId('database');

    // Created before the instance, so that the retention applies from the first line.
    const logGroups = ['postgresql', 'upgrade'].map((log) => {
      const group = new CloudwatchLogGroup(this, `log-${log}`, {
        name: `/aws/rds/instance/${props.identifier}/${log}`,
        retentionInDays: props.logRetentionDays,
        kmsKeyId: props.kmsKeyArn,
      });
      group.overrideLogicalId(log);
      return group;
    });

    // The role Enhanced Monitoring publishes with; the instance names it only while it is on.
    const monitoringRole = new IamRole(this, 'monitoring-role', {
      namePrefix: 'usualstore-rds-monitoring-',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'monitoring.rds.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    monitoringRole.overrideLogicalId('monitoring');
    new IamRolePolicyAttachment(this, 'monitoring-policy', {
      role: monitoringRole.name,
      policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
    }).overrideLogicalId('monitoring');

    this.instance = new DbInstance(this, 'instance', {
      identifier: props.identifier,
      engine: 'postgres',
      // The major only, with minor upgrades by RDS: a full version would plan a downgrade
      // after every automatic minor upgrade.
      engineVersion: '15',
      autoMinorVersionUpgrade: true,
      // Past the end of standard support, RDS would move to paid Extended Support silently.
      engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
      instanceClass: props.instanceClass,
      storageType: 'gp3',
      allocatedStorage: props.allocatedStorageGb,
      maxAllocatedStorage: props.maxAllocatedStorageGb,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      dbName: this.databaseName,
      username: this.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKeyArn,
      iamDatabaseAuthenticationEnabled: true,
      port: POSTGRES_PORT,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      parameterGroupName: parameters.name,
      multiAz: props.multiAz,
      publiclyAccessible: false,
      caCertIdentifier: 'rds-ca-rsa2048-g1',
      backupRetentionPeriod: props.backupRetentionDays,
      backupWindow: props.backupWindow,
      maintenanceWindow: props.maintenanceWindow,
      copyTagsToSnapshot: true,
      deletionProtection: props.deletionProtection,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${props.identifier}-final`,
      performanceInsightsEnabled: true,
      performanceInsightsRetentionPeriod: props.performanceInsightsRetentionDays,
      performanceInsightsKmsKeyId: props.kmsKeyArn,
      monitoringInterval: props.monitoringIntervalSeconds,
      monitoringRoleArn: valueIf(props.monitoringEnabled, monitoringRole.arn),
      enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
      applyImmediately: false,
      dependsOn: logGroups,
      lifecycle: { preventDestroy: true },
    });
    // Fixed, readable addresses: a refactor of this code cannot turn into a replacement.
    this.instance.overrideLogicalId('database');
    this.address = this.instance.address;
    this.port = this.instance.port;
    this.secretArn = this.instance.masterUserSecret.get(0).secretArn;
  }

  /** The URL of the database, without a password (it is in the secret), TLS verified against
   * the CA bundle `sslrootcert` names: what the migrator and the applications use. */
  url(sslrootcert: string): string {
    return `postgres://${this.masterUsername}@${this.address}:${this.port}/${this.databaseName}?sslmode=verify-full&sslrootcert=${sslrootcert}`;
  }
}
