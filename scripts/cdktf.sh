#!/usr/bin/env bash
# Runs `cdktf <deploy|destroy> ...` (npm run deploy, destroy and wipe) after the preflight for that
# command (usualstore-db preflight: the password and the container's password file, Docker daemon
# and engine, data volume, container, port), which stops with one line before any Terraform
# output. No Terraform variable carries the password (a saved plan would hold its value): the
# container gets it as the file the preflight writes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
command="$1"
# wipe.sh has run `preflight wipe` already.
if [ -z "${USUALSTORE_PREFLIGHT_DONE:-}" ]; then
  node "$root/bin/usualstore-db.js" preflight "$command"
fi
# State and plans hold no password, but the names and settings of what runs here: owner-only.
umask 077
# The CLI's telemetry call fails on a closed network and prints an error.
export CHECKPOINT_DISABLE=1
cd "$root"
exec "$root/node_modules/.bin/cdktf" "$@"
