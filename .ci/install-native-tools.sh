#!/usr/bin/env bash
# Installs the native auditors the integration tests run for real: pip-audit (venv), cargo-audit
# (cargo install) and Ruby (for the bundler-audit "not installed" path). Called by .ci/run with the
# cache dir as $1; writes "$1/env.sh" with the PATH additions. Idempotent and fast when cached.
# An optional tool that cannot be installed never fails CI: the reason is printed and the tests
# that need it skip themselves.
set -uo pipefail

CACHE="${1:?usage: install-native-tools.sh CACHE_DIR}"
mkdir -p "$CACHE"

PIP_AUDIT_VERSION=2.10.1
CARGO_AUDIT_VERSION=0.22.2
PATHS=()

# --- pip-audit in a virtualenv of its own (Debian's python is externally managed, PEP 668) ---
PIP_AUDIT_VENV="$CACHE/pip-audit-$PIP_AUDIT_VERSION"
if [ -x "$PIP_AUDIT_VENV/bin/pip-audit" ] && "$PIP_AUDIT_VENV/bin/pip-audit" --version >/dev/null 2>&1; then
  echo "native-tools: pip-audit $PIP_AUDIT_VERSION cached"
  PATHS+=("$PIP_AUDIT_VENV/bin")
elif command -v python3 >/dev/null 2>&1; then
  rm -rf "$PIP_AUDIT_VENV"
  if python3 -m venv "$PIP_AUDIT_VENV" &&
    "$PIP_AUDIT_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "pip-audit==$PIP_AUDIT_VERSION"; then
    echo "native-tools: pip-audit $PIP_AUDIT_VERSION installed"
    PATHS+=("$PIP_AUDIT_VENV/bin")
  else
    echo "native-tools: WARNING pip-audit could not be installed (see pip output above); its tests will skip"
    rm -rf "$PIP_AUDIT_VENV"
  fi
else
  echo "native-tools: WARNING python3 missing, pip-audit not installed; its tests will skip"
fi

# --- cargo-audit built with the committed lockfile of its release (slow the first time) ---
CARGO_AUDIT_ROOT="$CACHE/cargo-audit-$CARGO_AUDIT_VERSION"
if [ -x "$CARGO_AUDIT_ROOT/bin/cargo-audit" ]; then
  echo "native-tools: cargo-audit $CARGO_AUDIT_VERSION cached"
  PATHS+=("$CARGO_AUDIT_ROOT/bin")
elif command -v cargo >/dev/null 2>&1; then
  echo "native-tools: building cargo-audit $CARGO_AUDIT_VERSION (several minutes the first time)"
  if cargo install --quiet --locked cargo-audit --version "$CARGO_AUDIT_VERSION" --root "$CARGO_AUDIT_ROOT"; then
    PATHS+=("$CARGO_AUDIT_ROOT/bin")
  else
    echo "native-tools: WARNING cargo-audit could not be built; its tests will skip"
  fi
else
  echo "native-tools: WARNING cargo missing, cargo-audit not installed; its tests will skip"
fi

# --- Ruby from Debian; bundler-audit itself lives only on rubygems.org ---
if ! command -v ruby >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq ruby >/dev/null 2>&1 ||
      echo "native-tools: WARNING ruby could not be installed from apt"
  else
    echo "native-tools: WARNING ruby missing and apt-get unavailable (not root)"
  fi
fi
BUNDLER_AUDIT_HOME="$CACHE/bundler-audit-gems"
BUNDLER_AUDIT_MISS="$CACHE/bundler-audit.unavailable"
if [ -x "$BUNDLER_AUDIT_HOME/bin/bundle-audit" ]; then
  echo "native-tools: bundler-audit cached"
  PATHS+=("$BUNDLER_AUDIT_HOME/bin")
elif [ -n "$(find "$BUNDLER_AUDIT_MISS" -mmin -1440 2>/dev/null)" ]; then
  echo "native-tools: bundler-audit not installable here (checked within a day); parse tests only"
elif command -v gem >/dev/null 2>&1; then
  # rubygems.org is normally unreachable from CI machines: the attempt is bounded, its failure is
  # the expected outcome (the tests then exercise the real "not installed" path) and is
  # remembered for a day so cached runs stay fast.
  if timeout 60 gem install --no-document --install-dir "$BUNDLER_AUDIT_HOME" --bindir "$BUNDLER_AUDIT_HOME/bin" bundler-audit >/dev/null 2>&1; then
    echo "native-tools: bundler-audit installed"
    PATHS+=("$BUNDLER_AUDIT_HOME/bin")
  else
    echo "native-tools: bundler-audit not installable here (rubygems.org unreachable); parse tests only"
    rm -rf "$BUNDLER_AUDIT_HOME"
    touch "$BUNDLER_AUDIT_MISS"
  fi
else
  echo "native-tools: ruby/gem missing; bundler-audit not installed (parse tests only)"
fi

# --- env.sh: PATH additions for the test run (GEM_PATH only when bundler-audit is there) ---
{
  echo "# written by .ci/install-native-tools.sh"
  for p in "${PATHS[@]}"; do
    printf 'export PATH=%q:"$PATH"\n' "$p"
  done
  if [ -x "$BUNDLER_AUDIT_HOME/bin/bundle-audit" ]; then
    printf 'export GEM_PATH=%q:"${GEM_PATH:-}"\n' "$BUNDLER_AUDIT_HOME"
  fi
} >"$CACHE/env.sh.tmp" && mv "$CACHE/env.sh.tmp" "$CACHE/env.sh"
exit 0
