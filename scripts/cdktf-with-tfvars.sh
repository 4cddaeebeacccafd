#!/usr/bin/env bash
# Runs `cdktf <command> ...` with the project's terraform.tfvars (used by npm run deploy,
# destroy and wipe). cdktf hands --var-file to Terraform unchanged and Terraform runs inside
# cdktf.out/stacks/<stack>, so a relative path would be resolved there: pass an absolute one (it
# is a command-line argument, never written into cdktf.out). A stack that does not declare
# postgres_password (usualstore-data) only gets Terraform's "undeclared variable" warning.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/tfvars.sh"
# The CLI's telemetry call fails on a closed network and prints an error.
export CHECKPOINT_DISABLE=1
cd "$root"
exec "$root/node_modules/.bin/cdktf" "$@" "${var_file_args[@]}"
