#!/usr/bin/env bash
# Regenerates the native-auditor fixtures of the PyPI ecosystem.
# - recorded/: real pip-audit outputs and stderr, copied from shared/fixtures/native/pip-audit (see NOTICE).
# - project-requests/requirements.txt: one exact pin with known advisories (PYSEC-2018-28,
#   PYSEC-2023-74), the input pip-audit reads with --no-deps --disable-pip.
set -euo pipefail
cd "$(dirname "$0")"
SHARED="${SHARED:-../../../../../../../../shared}"
if [ -d "$SHARED/fixtures/native/pip-audit" ]; then cp "$SHARED"/fixtures/native/pip-audit/* recorded/; fi
printf 'requests==2.19.0\n' > project-requests/requirements.txt
