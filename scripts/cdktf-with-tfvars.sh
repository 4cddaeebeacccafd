#!/usr/bin/env bash
# Runs `cdktf <deploy|destroy> ...` with the project's terraform.tfvars (used by npm run deploy,
# destroy and wipe), after the preflight for that command (usualstore-db preflight: password,
# Docker daemon and engine, data volume, container, port), which stops with one line before any
# Terraform output. cdktf hands --var-file to Terraform unchanged and Terraform runs inside
# cdktf.out/stacks/<stack>, so a relative path would be resolved there: pass an absolute one (it
# is a command-line argument, never written into cdktf.out). A stack that does not declare
# postgres_password (usualstore-data) only gets Terraform's "undeclared variable" warning.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
command="$1"
# wipe.sh has run `preflight wipe` already.
if [ -z "${USUALSTORE_PREFLIGHT_DONE:-}" ]; then
  node "$root/bin/usualstore-db.js" preflight "$command"
fi
source "$root/scripts/tfvars.sh"
# The state files hold the container's environment (the password): new ones owner-only.
umask 077
# The CLI's telemetry call fails on a closed network and prints an error.
export CHECKPOINT_DISABLE=1
cd "$root"
exec "$root/node_modules/.bin/cdktf" "$@" "${var_file_args[@]}"
