/**
 * The production stack's Terraform variables, each typed, validated and documented, with safe
 * defaults where there can be one (production.tfvars.example lists them all), and what they
 * configure: the RDS instance's props, the hook's switch and CA bundle. Declared in the stack
 * (their names are their ids).
 */
import { Op, type IResolvable, type TerraformStack, TerraformVariable, VariableType } from 'cdktf';
import { unlessEmpty } from './expressions';
import type { RdsPostgresProps } from './rds-postgres';

function variable(stack: TerraformStack, name: string, config: ConstructorParameters<typeof TerraformVariable>[2]): TerraformVariable {
  return new TerraformVariable(stack, name, { nullable: false, ...config });
}

export interface ProductionSettings {
  readonly region: string;
  /** The instance, as the variables configure it. */
  readonly database: RdsPostgresProps;
  /** run_migrations: whether the deploy migrates (it must run where the instance is reachable). */
  readonly runMigrations: boolean | IResolvable;
  /** rds_ca_bundle: the region's RDS CA bundle, relative to the project root. */
  readonly caBundle: string;
}

export function productionVariables(stack: TerraformStack): ProductionSettings {
  const region = variable(stack, 'region', {
    type: 'string',
    description: 'AWS region of the instance',
    validation: [
      {
        condition: '${can(regex("^[a-z]{2}(-[a-z]+)+-\\\\d$", var.region))}',
        errorMessage: 'region must be an AWS region name, e.g. eu-west-1.',
      },
    ],
  });
  const identifier = variable(stack, 'identifier', {
    type: 'string',
    default: 'usualstore-production',
    description: 'RDS instance identifier (also the prefix of its parameter group, subnet group and security group)',
    validation: [
      {
        condition: '${can(regex("^[a-z][a-z0-9-]{0,48}[a-z0-9]$", var.identifier)) && !strcontains(var.identifier, "--")}',
        errorMessage: 'identifier must be 2-50 lower-case letters, digits and single hyphens, starting with a letter.',
      },
    ],
  });
  const instanceClass = variable(stack, 'instance_class', {
    type: 'string',
    default: 'db.t4g.medium',
    description: 'RDS instance class',
    validation: [
      {
        condition: '${can(regex("^db\\\\.[a-z0-9]+\\\\.[a-z0-9]+$", var.instance_class))}',
        errorMessage: 'instance_class must be an RDS class such as db.t4g.medium.',
      },
    ],
  });
  const allocatedStorage = variable(stack, 'allocated_storage_gb', {
    type: 'number',
    default: 20,
    description: 'initial gp3 storage, GiB',
    validation: [
      {
        condition: '${var.allocated_storage_gb >= 20 && var.allocated_storage_gb <= 65536}',
        errorMessage: 'allocated_storage_gb must be between 20 and 65536.',
      },
    ],
  });
  const maxAllocatedStorage = variable(stack, 'max_allocated_storage_gb', {
    type: 'number',
    default: 100,
    description: 'storage autoscaling limit, GiB',
    validation: [
      {
        condition: '${var.max_allocated_storage_gb >= var.allocated_storage_gb && var.max_allocated_storage_gb <= 65536}',
        errorMessage: 'max_allocated_storage_gb must be at least allocated_storage_gb and at most 65536.',
      },
    ],
  });
  const multiAz = variable(stack, 'multi_az', {
    type: 'bool',
    default: true,
    description: 'a standby in another availability zone, with automatic failover',
  });
  const vpcId = variable(stack, 'vpc_id', {
    type: 'string',
    description: 'VPC of the instance',
    validation: [{ condition: '${can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))}', errorMessage: 'vpc_id must be a VPC id, vpc-…' }],
  });
  const subnetIds = variable(stack, 'subnet_ids', {
    type: VariableType.list(VariableType.STRING),
    description: 'private subnets in at least two availability zones (the DB subnet group)',
    validation: [
      {
        condition: '${length(var.subnet_ids) >= 2}',
        errorMessage: 'subnet_ids must name at least two subnets (in two availability zones).',
      },
      {
        condition: '${alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])}',
        errorMessage: 'subnet_ids must be subnet ids, subnet-…',
      },
    ],
  });
  const allowedCidrs = variable(stack, 'allowed_cidr_blocks', {
    type: VariableType.list(VariableType.STRING),
    default: [],
    description: 'networks that may connect to 5432 (never 0.0.0.0/0)',
    validation: [
      {
        condition: '${alltrue([for c in var.allowed_cidr_blocks : can(cidrhost(c, 0))])}',
        errorMessage: 'allowed_cidr_blocks must be CIDR blocks such as 10.0.0.0/16.',
      },
      {
        condition: '${!contains(var.allowed_cidr_blocks, "0.0.0.0/0") && !contains(var.allowed_cidr_blocks, "::/0")}',
        errorMessage: 'allowed_cidr_blocks must not open the database to the internet (0.0.0.0/0 or ::/0).',
      },
    ],
  });
  const allowedGroups = variable(stack, 'allowed_security_group_ids', {
    type: VariableType.list(VariableType.STRING),
    default: [],
    description: 'security groups (the applications, the CI runner) that may connect to 5432',
    validation: [
      {
        condition: '${alltrue([for g in var.allowed_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", g))])}',
        errorMessage: 'allowed_security_group_ids must be security group ids, sg-…',
      },
    ],
  });
  const kmsKey = variable(stack, 'kms_key_arn', {
    type: 'string',
    default: '',
    description: 'customer-managed KMS key for storage, logs, Performance Insights and the secret; empty: the AWS-managed keys',
    validation: [
      {
        condition: '${var.kms_key_arn == "" || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))}',
        errorMessage: 'kms_key_arn must be empty or a KMS key ARN.',
      },
    ],
  });
  const backupRetention = variable(stack, 'backup_retention_days', {
    type: 'number',
    default: 14,
    description: 'automated backups kept, days',
    validation: [
      {
        condition: '${var.backup_retention_days >= 1 && var.backup_retention_days <= 35}',
        errorMessage: 'backup_retention_days must be between 1 and 35 (0 would turn automated backups off).',
      },
    ],
  });
  const windowPattern = '^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$';
  const backupWindow = variable(stack, 'backup_window', {
    type: 'string',
    default: '03:00-04:00',
    description: 'daily backup window, UTC, hh24:mi-hh24:mi',
    validation: [
      {
        condition: `\${can(regex("${windowPattern}", var.backup_window))}`,
        errorMessage: 'backup_window must look like 03:00-04:00 (UTC).',
      },
    ],
  });
  const maintenanceWindow = variable(stack, 'maintenance_window', {
    type: 'string',
    default: 'sun:04:30-sun:05:30',
    description: 'weekly maintenance window, UTC, ddd:hh24:mi-ddd:hh24:mi (outside the backup window)',
    validation: [
      {
        condition:
          '${can(regex("^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.maintenance_window))}',
        errorMessage: 'maintenance_window must look like sun:04:30-sun:05:30 (UTC).',
      },
    ],
  });
  const deletionProtection = variable(stack, 'deletion_protection', {
    type: 'bool',
    default: true,
    description: "RDS's own guard against deletion (turn off only to delete the instance on purpose)",
  });
  const logRetention = variable(stack, 'log_retention_days', {
    type: 'number',
    default: 30,
    description: 'CloudWatch retention of the PostgreSQL and upgrade logs, days',
    validation: [
      {
        condition:
          '${contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)}',
        errorMessage: 'log_retention_days must be one CloudWatch accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, …, 3653.',
      },
    ],
  });
  const insightsRetention = variable(stack, 'performance_insights_retention_days', {
    type: 'number',
    default: 7,
    description: 'Performance Insights retention, days (7 is free; else a multiple of 31, up to 731)',
    validation: [
      {
        condition:
          '${var.performance_insights_retention_days == 7 || (var.performance_insights_retention_days % 31 == 0 && var.performance_insights_retention_days <= 731)}',
        errorMessage: 'performance_insights_retention_days must be 7 or a multiple of 31 up to 731.',
      },
    ],
  });
  const monitoringInterval = variable(stack, 'monitoring_interval_seconds', {
    type: 'number',
    default: 60,
    description: 'Enhanced Monitoring interval, seconds; 0 turns it off',
    validation: [
      {
        condition: '${contains([0, 1, 5, 10, 15, 30, 60], var.monitoring_interval_seconds)}',
        errorMessage: 'monitoring_interval_seconds must be one of 0, 1, 5, 10, 15, 30, 60.',
      },
    ],
  });
  const runMigrations = variable(stack, 'run_migrations', {
    type: 'bool',
    default: true,
    description: 'migrate the database on deploy (the deploy must run where the instance is reachable: a CI runner in the VPC)',
  });
  const caBundle = variable(stack, 'rds_ca_bundle', {
    type: 'string',
    default: 'rds-ca-bundle.pem',
    description:
      "the RDS CA bundle for the region (https://truststore.pki.rds.amazonaws.com/<region>/<region>-bundle.pem), relative to the project root: the migrator verifies the server's certificate with it",
  });

  return {
    region: region.stringValue,
    database: {
      identifier: identifier.stringValue,
      instanceClass: instanceClass.stringValue,
      allocatedStorageGb: allocatedStorage.numberValue,
      maxAllocatedStorageGb: maxAllocatedStorage.numberValue,
      multiAz: multiAz.booleanValue,
      vpcId: vpcId.stringValue,
      subnetIds: subnetIds.listValue,
      allowedCidrBlocks: allowedCidrs.listValue,
      allowedSecurityGroupIds: allowedGroups.listValue,
      kmsKeyArn: unlessEmpty(kmsKey),
      backupRetentionDays: backupRetention.numberValue,
      backupWindow: backupWindow.stringValue,
      maintenanceWindow: maintenanceWindow.stringValue,
      deletionProtection: deletionProtection.booleanValue,
      logRetentionDays: logRetention.numberValue,
      performanceInsightsRetentionDays: insightsRetention.numberValue,
      monitoringIntervalSeconds: monitoringInterval.numberValue,
      monitoringEnabled: Op.gte(monitoringInterval.numberValue, 1),
    },
    runMigrations: runMigrations.booleanValue,
    caBundle: caBundle.stringValue,
  };
}
