#!/usr/bin/env bash
# Regenerates the lockfiles of examples/polyglot with the real package managers, then rewrites
# real registry hosts to example hosts. Needs network access to the registries; the result is
# committed so that the example works offline.
#   npm 11 (npm install --package-lock-only), pnpm 10.34.9 (through npx), uv (pip install uv),
#   cargo (cargo generate-lockfile). ruby/Gemfile.lock is written by hand (no Ruby here).
set -euo pipefail
cd "$(dirname "$0")"

(cd web && rm -f package-lock.json && npm install --package-lock-only --ignore-scripts --no-audit --no-fund)
(cd pnpm-workspace && rm -f pnpm-lock.yaml && npx -y pnpm@10.34.9 install --lockfile-only --ignore-scripts)
(cd python/uv-app && rm -f uv.lock && uv lock)
(cd rust && rm -f Cargo.lock && cargo generate-lockfile)

# Real hosts become example hosts: fixtures never point at real registries.
sed -i 's#https://registry.npmjs.org/#https://npm.example.com/#g' web/package-lock.json
sed -i 's#https://registry.npmjs.org/#https://npm.example.com/#g' pnpm-workspace/pnpm-lock.yaml
sed -i -e 's#https://pypi.org/simple#https://pypi.example.com/simple#g' \
  -e 's#https://files.pythonhosted.org/#https://files.pypi.example.com/#g' python/uv-app/uv.lock
# Cargo.lock keeps Cargo's own source id for crates.io (`registry+https://github.com/rust-lang/
# crates.io-index`): it names the registry rather than a host to fetch, and cargo audit only
# matches advisories against crates from that source.
