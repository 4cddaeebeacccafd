#!/bin/sh
# TERRAFORM_BINARY_NAME for the real cdktf CLI in tests: the docker provider cannot be downloaded
# here, so before each Terraform command the stack in the working directory (cdktf runs Terraform
# in the stack's directory) has its docker resources replaced by stand-ins (terraform-json.ts);
# then the real Terraform runs, with an empty CLI configuration.
set -e
if [ -f cdk.tf.json ] && grep -q '"docker_' cdk.tf.json; then
  node --import tsx "$(dirname "$0")/cut-stack.ts"
fi
TF_CLI_CONFIG_FILE=/dev/null exec terraform "$@"
