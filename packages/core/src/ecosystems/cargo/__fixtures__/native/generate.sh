#!/usr/bin/env bash
# Regenerates the native-auditor fixtures of the cargo ecosystem.
# - recorded/: real cargo-audit reports, copied from shared/fixtures/native/cargo-audit (see NOTICE).
# - project-smallvec/: a real Cargo.lock made by cargo (needs crates.io) pinning two old crates
#   with RustSec advisories: smallvec 0.6.13 (RUSTSEC-2021-0003) and time 0.1.43 (RUSTSEC-2020-0071).
# - rustsec-db/: the RustSec database in its own format (plain directory, which
#   `cargo-audit audit --db DIR --no-fetch` reads without git), reduced to those two crates, from
#   shared/fixtures/rustsec-db (rustsec/advisory-db @ bf5c0d245a92671908518d7e765914d437954ed6, CC0-1.0).
set -euo pipefail
cd "$(dirname "$0")"
SHARED="${SHARED:-../../../../../../../../shared}"
if [ -d "$SHARED/fixtures/native/cargo-audit" ]; then
  cp "$SHARED"/fixtures/native/cargo-audit/* recorded/
  rm -rf rustsec-db && mkdir -p rustsec-db/crates
  cp -r "$SHARED"/fixtures/rustsec-db/crates/{smallvec,time} rustsec-db/crates/
  cp "$SHARED"/fixtures/rustsec-db/LICENSE.txt rustsec-db/
fi
(cd project-smallvec && rm -f Cargo.lock && cargo generate-lockfile)
