#!/usr/bin/env bash
# Regenerates the Cargo.lock fixtures. Needs cargo (any version writing lockfile v4, 1.83+),
# python3 >= 3.11 and access to the crates.io index. CARGO_HOME is a temporary folder so the
# user's cargo cache is left alone.
#
#   workspace/Cargo.lock       real: `cargo generate-lockfile` on workspace/ (2 members matched by
#                              the glob crates/*, plus vendor/local-helper, a path crate)
#   lockfile-v3/Cargo.lock     that file with `version = 4` set to 3 by hand: for a lockfile
#                              without git sources v3 and v4 are written identically
#   lockfile-v2/Cargo.lock     that file in the v2 format (no version key, no blank line after
#                              the header), as cargo 1.41-1.52 wrote it
#   lockfile-v1/Cargo.lock     that file in the v1 format (`name version (source)` dependencies,
#                              checksums in [metadata]), as cargo before 1.41 wrote it
#   git-and-sparse/Cargo.lock  the v4 file plus two entries written by hand, because this machine
#                              reaches no git host: a git dependency pinned to a commit and a crate
#                              from an alternative sparse registry (example hosts)
# The pins are deliberate: smallvec 0.6.13 (RUSTSEC-2021-0003), time 0.1.43 (RUSTSEC-2020-0071),
# and tempfile 3.1.0 as a dev-dependency pulling in remove_dir_all 0.5.3 (RUSTSEC-2023-0018).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CARGO_HOME="$work/cargo-home"

mkdir -p "$work/ws"
(cd "$here/workspace" && find . -name Cargo.toml -print0 | xargs -0 -I{} cp --parents {} "$work/ws/")
for manifest in $(cd "$work/ws" && find . -name Cargo.toml ! -path ./Cargo.toml); do
  mkdir -p "$work/ws/$(dirname "$manifest")/src"
  : > "$work/ws/$(dirname "$manifest")/src/lib.rs"
done
(cd "$work/ws" && cargo generate-lockfile --quiet)
cp "$work/ws/Cargo.lock" "$here/workspace/Cargo.lock"

mkdir -p "$here/lockfile-v3" "$here/lockfile-v2" "$here/lockfile-v1" "$here/git-and-sparse"
sed 's/^version = 4$/version = 3/' "$here/workspace/Cargo.lock" > "$here/lockfile-v3/Cargo.lock"
python3 "$here/convert.py" v2 "$here/workspace/Cargo.lock" > "$here/lockfile-v2/Cargo.lock"
python3 "$here/convert.py" v1 "$here/workspace/Cargo.lock" > "$here/lockfile-v1/Cargo.lock"
python3 "$here/convert.py" git-and-sparse "$here/workspace/Cargo.lock" > "$here/git-and-sparse/Cargo.lock"
