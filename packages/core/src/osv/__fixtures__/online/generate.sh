#!/bin/sh
# Regenerates the OSV records served by test/servers/osv-api-server.ts: real records copied
# byte for byte from the shared osv.dev-layout exports (see /work/shared/osv/SOURCES.md and the
# attribution in the repository's NOTICE file). Packages: npm lodash, qs, ws; PyPI jinja2,
# requests; crates.io hyper, tokio; RubyGems puma.
set -eu
SHARED=${SHARED:-/work/shared/osv}
cd "$(dirname "$0")"
copy() {
  eco=$1
  shift
  mkdir -p "$eco"
  for id in "$@"; do
    unzip -p "$SHARED/$eco/all.zip" "$id.json" >"$eco/$id.json"
  done
}
copy npm GHSA-29mw-wpgm-hmr9 GHSA-35jh-r3h4-6jhm GHSA-hrpp-h998-j3pp GHSA-jf85-cpcp-j695 \
  GHSA-p6mc-m468-83gw GHSA-3h5v-q93c-6h6q
copy PyPI PYSEC-2014-13 PYSEC-2014-14 PYSEC-2014-8 PYSEC-2014-82 PYSEC-2015-17 PYSEC-2018-28 \
  PYSEC-2019-217 PYSEC-2019-220 PYSEC-2021-66 PYSEC-2023-74
copy crates.io RUSTSEC-2016-0002 RUSTSEC-2017-0002 RUSTSEC-2020-0008 RUSTSEC-2021-0020 \
  RUSTSEC-2021-0072 RUSTSEC-2021-0078 RUSTSEC-2021-0079 RUSTSEC-2021-0124 RUSTSEC-2022-0022 \
  RUSTSEC-2023-0001 RUSTSEC-2023-0005 RUSTSEC-2025-0023
copy RubyGems GHSA-2vqw-3mp8-cgmx GHSA-33vf-4xgg-9r58 GHSA-48w2-rm65-62xx GHSA-68xg-gqqm-vgj8 \
  GHSA-7xx3-m584-x994 GHSA-84j7-475p-hp8v GHSA-9hf4-67fc-4vf4 GHSA-c2f4-cvqm-65w2 \
  GHSA-h99w-9q5r-gjq9 GHSA-q28m-8xjw-8vr5 GHSA-qpgp-93vx-g8v8 GHSA-rmj8-8hhh-gv5h \
  GHSA-w64w-qqph-5gxm GHSA-x7jg-6pwg-fx5h
