#!/usr/bin/env bash
# `npm run bench`: every bench/*.bench.ts, in name order, each with `node --import tsx`. Each
# bench prints its own figures as ratios against a floor it measures in the same run, so the
# numbers compare across machines. Runs them all, then fails if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
status=0
for bench in bench/*.bench.ts; do
  [ -e "$bench" ] || continue
  echo "== $bench"
  node --import tsx "$bench" || { echo "bench failed: $bench" >&2; status=1; }
  echo
done
exit "$status"
