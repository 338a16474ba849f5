#!/bin/sh
# Regenerates records/<Ecosystem>/<id>.json from the shared OSV export (../shared/osv/<Ecosystem>/all.zip).
# Ecosystem folders because one id can hold different content in two zips (GHSA-jf85-cpcp-j695:
# lodash in npm/, lodash-rails in RubyGems/). Attribution: NOTICE at the repository root.
# The synthetic records in synthetic/ are hand-written (no real record uses `limit`, none is MAL-).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
shared=${OSV_SHARED:-$here/../../../../../../shared/osv}
copy() {
  eco=$1; shift
  mkdir -p "$here/records/$eco"
  for id in "$@"; do unzip -p "$shared/$eco/all.zip" "$id.json" > "$here/records/$eco/$id.json"; done
}
copy npm GHSA-rv95-896h-c2vc GHSA-67hx-6x53-jw92 GHSA-jf85-cpcp-j695 GHSA-p8p7-x288-28g6 \
  GHSA-hrpp-h998-j3pp GHSA-9wv6-86v2-598j GHSA-r683-j2x4-v87g GHSA-g644-9gfx-q4q4 \
  GHSA-29mw-wpgm-hmr9 GHSA-pjwm-rvh2-c87w GHSA-mh6f-8j2x-4483 GHSA-42xw-2xvc-qx8m \
  GHSA-p6mc-m468-83gw GHSA-35jh-r3h4-6jhm GHSA-qwcr-r2fm-qrc7 GHSA-28xh-wpgr-7fm8 \
  GHSA-74fj-2j2h-c42q GHSA-pxg6-pf52-xh8x GHSA-8cf7-32gw-wr33
copy PyPI PYSEC-2024-1 PYSEC-2017-4 PYSEC-2022-15 PYSEC-2019-155 PYSEC-2019-125 \
  PYSEC-2022-42969 PYSEC-2021-371 PYSEC-2017-105 PYSEC-2012-1 PYSEC-2016-2 PYSEC-2023-174
copy crates.io RUSTSEC-2017-0002 RUSTSEC-2019-0031 RUSTSEC-2020-0011 RUSTSEC-2016-0001 \
  RUSTSEC-2016-0002 RUSTSEC-2024-0445 RUSTSEC-2016-0004
copy RubyGems GHSA-mq35-wqvf-r23c GHSA-333g-rpr4-7hxq GHSA-8xww-x3g3-6jcv GHSA-2p82-v77v-mppr \
  GHSA-jf85-cpcp-j695 GHSA-6226-h7ff-ch6c GHSA-fp4w-jxhp-m23p
