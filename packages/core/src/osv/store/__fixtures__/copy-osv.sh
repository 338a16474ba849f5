#!/bin/sh
# Copy the shared OSV export zips (real records; see /work/shared/osv/SOURCES.md and NOTICE).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=${1:-/work/shared/osv}
for eco in npm PyPI crates.io RubyGems; do
  mkdir -p "$here/osv/$eco"
  cp "$src/$eco/all.zip" "$here/osv/$eco/all.zip"
done
