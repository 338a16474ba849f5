#!/usr/bin/env bash
# Regenerates the native-auditor fixtures of the npm ecosystem.
# - recorded/: real npm audit outputs and endpoint bodies, copied byte for byte from
#   shared/fixtures/native/npm (origins and licenses in NOTICE and that folder's SOURCES.md).
# - project-lodash-minimist/: a real lockfile made by npm itself (needs the npm registry).
set -euo pipefail
cd "$(dirname "$0")"
if [ -d "${SHARED:-../../../../../../../../shared}/fixtures/native/npm" ]; then
  cp "${SHARED:-../../../../../../../../shared}"/fixtures/native/npm/* recorded/
fi
cd project-lodash-minimist
rm -f package-lock.json
npm install --package-lock-only --ignore-scripts --no-audit --no-fund
