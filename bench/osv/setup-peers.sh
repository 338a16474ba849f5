#!/usr/bin/env bash
# Installs the peers of the OSV benchmark, pinned, into bench/.data/peers (gitignored), never into
# the repo's own package.json:
#   node24/  Node 24 from the npm package `node` (osv-offline-db 3.x needs Node >= 22.12)
#   v3/      @renovatebot/osv-offline-db 3.x (NeDB-format files, own line index, Node >= 22.12)
#   v1/      @renovatebot/osv-offline-db 1.x (@seald-io/nedb in memory, runs on Node 20)
# Their data comes from bench/osv/generate.mjs (the same records, written as .nedb files).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
peers="$here/../.data/peers"
NODE24=24.21.0
DB3=3.0.12
DB1=1.8.0
DEBUG=4.4.3
NEDB=4.1.2

install() {
  local dir="$1"
  shift
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"private":true}' >"$dir/package.json"
  # --prefix keeps the repo's .npmrc (ignore-scripts) out; the node package needs its preinstall.
  (cd "$dir" && npm install --prefix "$dir" --save-exact --no-audit --no-fund "$@")
}

install "$peers/node24" --ignore-scripts=false "node@$NODE24"
install "$peers/v3" --ignore-scripts "@renovatebot/osv-offline-db@$DB3" "debug@$DEBUG"
install "$peers/v1" --ignore-scripts "@renovatebot/osv-offline-db@$DB1" "@seald-io/nedb@$NEDB"
"$peers/node24/node_modules/.bin/node" -v
echo "peers installed in $peers"
