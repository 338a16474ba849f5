#!/bin/sh
# Regenerates the lockfile of clean-npm/ with the real npm (needs the registry):
# one dependency, is-number 7.0.0, which no advisory affects. npm 11 writes no `resolved`
# URL for the default registry, so no real host ends up in the fixture.
set -eu
cd "$(dirname "$0")/clean-npm"
rm -f package-lock.json
npm install --package-lock-only --ignore-scripts --no-audit --no-fund
