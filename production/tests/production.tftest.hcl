# The production stack, tested by Terraform itself (`terraform test`) against its synthesized
# JSON, with a mock aws provider: no AWS account, no network. Run by
# __tests__/integration/production-terraform-test.spec.ts (the provider's schema still comes from
# the real hashicorp/aws plugin). Every variable validation has a run that expects it to fail.

mock_provider "aws" {
  mock_resource "aws_db_instance" {
    defaults = {
      address = "usualstore-production.abc123.eu-west-1.rds.amazonaws.com"
      port    = 5432
      master_user_secret = [{
        secret_arn    = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0000"
        kms_key_id    = ""
        secret_status = "active"
      }]
    }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/usualstore-production-monitoring" }
  }
}

variables {
  region                     = "eu-west-1"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"]
}

run "the_instance_is_encrypted_private_iam_authenticated_with_a_managed_password" {
  command = plan
  assert {
    condition     = aws_db_instance.database.storage_encrypted == true
    error_message = "storage must be encrypted"
  }
  assert {
    condition     = aws_db_instance.database.publicly_accessible == false
    error_message = "the instance must not be publicly accessible"
  }
  assert {
    condition     = aws_db_instance.database.iam_database_authentication_enabled == true
    error_message = "IAM database authentication must be on"
  }
  assert {
    condition     = aws_db_instance.database.manage_master_user_password == true && aws_db_instance.database.password == null
    error_message = "RDS must keep the master password (Secrets Manager), never Terraform"
  }
  assert {
    condition     = aws_db_instance.database.engine == "postgres" && aws_db_instance.database.engine_version == "15"
    error_message = "PostgreSQL 15"
  }
  assert {
    condition     = aws_db_instance.database.deletion_protection == true && aws_db_instance.database.backup_retention_period == 14
    error_message = "deletion protection on and two weeks of backups by default"
  }
}

run "the_parameter_group_sets_max_connections_and_forces_tls" {
  command = plan
  assert {
    condition     = aws_db_parameter_group.database.family == "postgres15"
    error_message = "the parameter group is for PostgreSQL 15"
  }
  assert {
    condition     = [for p in aws_db_parameter_group.database.parameter : p.value if p.name == "max_connections"] == ["200"]
    error_message = "max_connections = 200, as the local container"
  }
  assert {
    condition     = [for p in aws_db_parameter_group.database.parameter : p.value if p.name == "rds.force_ssl"] == ["1"]
    error_message = "rds.force_ssl = 1: TLS only"
  }
}

run "the_security_group_admits_only_what_is_allowed" {
  command = plan
  variables {
    allowed_cidr_blocks = ["10.0.0.0/16"]
  }
  assert {
    condition     = alltrue([for rule in aws_security_group.database.ingress : rule.from_port == 5432 && rule.to_port == 5432 && !contains(rule.cidr_blocks, "0.0.0.0/0")])
    error_message = "ingress only on 5432, never from the internet"
  }
}

run "the_hook_runs_the_migrations_after_the_instance_and_only_when_asked" {
  command = plan
  assert {
    condition     = length(terraform_data.migrations) == 1
    error_message = "run_migrations defaults to true: one hook"
  }
  assert {
    condition     = alltrue([for name, sum in terraform_data.migrations[0].triggers_replace : can(regex("^[0-9a-f]{64}$", sum))])
    error_message = "the hook's triggers are the migration files' sha256"
  }
  assert {
    condition     = contains(keys(terraform_data.migrations[0].triggers_replace), "20240730180628_create_widgets_table.ts")
    error_message = "the hook's triggers name each migration file"
  }
}

run "no_hook_when_run_migrations_is_false" {
  command = plan
  variables {
    run_migrations = false
  }
  assert {
    condition     = length(terraform_data.migrations) == 0
    error_message = "run_migrations = false: no hook"
  }
}

run "region_must_be_a_region_name" {
  command         = plan
  variables { region = "Europe" }
  expect_failures = [var.region]
}

run "identifier_must_be_an_rds_identifier" {
  command         = plan
  variables { identifier = "Usual--Store" }
  expect_failures = [var.identifier]
}

run "instance_class_must_be_an_rds_class" {
  command         = plan
  variables { instance_class = "t4g.medium" }
  expect_failures = [var.instance_class]
}

run "allocated_storage_gb_at_least_20" {
  command         = plan
  variables { allocated_storage_gb = 10 }
  expect_failures = [var.allocated_storage_gb]
}

run "max_allocated_storage_gb_at_least_allocated" {
  command         = plan
  variables {
    allocated_storage_gb     = 50
    max_allocated_storage_gb = 40
  }
  expect_failures = [var.max_allocated_storage_gb]
}

run "vpc_id_must_be_a_vpc" {
  command         = plan
  variables { vpc_id = "my-vpc" }
  expect_failures = [var.vpc_id]
}

run "subnet_ids_two_at_least" {
  command         = plan
  variables { subnet_ids = ["subnet-0123456789abcdef0"] }
  expect_failures = [var.subnet_ids]
}

run "subnet_ids_must_be_subnets" {
  command         = plan
  variables { subnet_ids = ["subnet-0123456789abcdef0", "sn-2"] }
  expect_failures = [var.subnet_ids]
}

run "allowed_cidr_blocks_must_be_cidrs" {
  command         = plan
  variables { allowed_cidr_blocks = ["10.0.0.0"] }
  expect_failures = [var.allowed_cidr_blocks]
}

run "allowed_cidr_blocks_never_the_internet" {
  command         = plan
  variables { allowed_cidr_blocks = ["0.0.0.0/0"] }
  expect_failures = [var.allowed_cidr_blocks]
}

run "allowed_security_group_ids_must_be_groups" {
  command         = plan
  variables { allowed_security_group_ids = ["default"] }
  expect_failures = [var.allowed_security_group_ids]
}

run "kms_key_arn_empty_or_a_key" {
  command         = plan
  variables { kms_key_arn = "alias/usualstore" }
  expect_failures = [var.kms_key_arn]
}

run "backup_retention_days_never_zero" {
  command         = plan
  variables { backup_retention_days = 0 }
  expect_failures = [var.backup_retention_days]
}

run "backup_window_a_utc_window" {
  command         = plan
  variables { backup_window = "3am-4am" }
  expect_failures = [var.backup_window]
}

run "maintenance_window_a_weekly_window" {
  command         = plan
  variables { maintenance_window = "sunday 04:30" }
  expect_failures = [var.maintenance_window]
}

run "log_retention_days_one_cloudwatch_accepts" {
  command         = plan
  variables { log_retention_days = 10 }
  expect_failures = [var.log_retention_days]
}

run "performance_insights_retention_days_7_or_months" {
  command         = plan
  variables { performance_insights_retention_days = 30 }
  expect_failures = [var.performance_insights_retention_days]
}

run "monitoring_interval_seconds_one_rds_accepts" {
  command         = plan
  variables { monitoring_interval_seconds = 20 }
  expect_failures = [var.monitoring_interval_seconds]
}
