#!/usr/bin/env bash
# `npm run wipe`: deletes the database AND its data volume. The volume carries
# lifecycle.prevent_destroy, so no ordinary command can delete it; this script lifts that guard
# for its own synth only (USUALSTORE_ALLOW_VOLUME_DESTROY=<volume name>, see
# config/volume-guard.ts), after the user has typed the volume's name. Without a terminal,
# USUALSTORE_WIPE_CONFIRM=<volume name> is the typed answer.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
volume="$(node --import tsx -e 'try { console.log(require("./config/database.ts").loadConfig().volumeName) } catch (e) { console.error("usualstore: " + e.message); process.exit(1) }')"

# Before asking anything: no point confirming what cannot run (no Docker).
node "$root/bin/usualstore-db.js" preflight wipe

if [ -n "${USUALSTORE_WIPE_CONFIRM:-}" ]; then
  answer="$USUALSTORE_WIPE_CONFIRM"
elif [ -t 0 ]; then
  echo "This deletes the container and the Docker volume \"$volume\" with ALL the database's data." >&2
  read -r -p "Type the volume name ($volume) to confirm: " answer
else
  answer=""
fi
if [ "$answer" != "$volume" ]; then
  echo "usualstore: wipe cancelled: confirmation did not match the volume name \"$volume\" (nothing was changed)" >&2
  exit 1
fi

export USUALSTORE_ALLOW_VOLUME_DESTROY="$volume"
# Both stacks, the database stack first: the volume cannot be removed while the container still
# mounts it.
exec node "$root/bin/usualstore-db.js" destroy --with-data
