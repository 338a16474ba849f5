#!/usr/bin/env bash
# Regenerates the PyPI lockfile fixtures with the real tools, pinned:
#   pip-tools 7.7.0 (pip-compile, pip 26.3), poetry 2.5.1, poetry 1.4.2 (lock-version 1.1 with
#   `category`), pipenv 2026.10.3, uv 0.13.9 -- on CPython 3.11.
# Needs PyPI. Every index or download host the tools write is rewritten to pypi.example.com, and
# the local git repository used as a VCS dependency to git.example.com, so that no fixture names a
# real host or a path of the machine that made it. Nothing here is hand-written lock content.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d /tmp/supplyaudit-pypi-fixtures.XXXXXX)"
trap 'rm -rf "$work"' EXIT
unset PIP_FIND_LINKS PIP_INDEX_URL PIP_EXTRA_INDEX_URL UV_INDEX_URL UV_EXTRA_INDEX_URL || true
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIPENV_VENV_IN_PROJECT=1 PIPENV_NOSPIN=1 PIPENV_YES=1 \
  POETRY_VIRTUALENVS_IN_PROJECT=true UV_NO_CACHE=1 UV_PYTHON_DOWNLOADS=never

# PYPI_FIXTURE_TOOLS=DIR keeps the tool venvs between runs.
tools="${PYPI_FIXTURE_TOOLS:-$work}"
if [ ! -x "$tools/tools/bin/uv" ]; then
  python3 -m venv "$tools/tools"
  "$tools/tools/bin/pip" install -q pip==26.3 pip-tools==7.7.0 poetry==2.5.1 pipenv==2026.10.3 uv==0.13.9
fi
if [ ! -x "$tools/tools1/bin/poetry" ]; then
  python3 -m venv "$tools/tools1"
  "$tools/tools1/bin/pip" install -q poetry==1.4.2
fi
bin="$tools/tools/bin"

# Post-processing: real hosts and machine paths out, structure kept.
scrub() {
  sed -i \
    -e 's#https://pypi\.org/simple#https://pypi.example.com/simple#g' \
    -e 's#https://files\.pythonhosted\.org/#https://pypi.example.com/#g' \
    -e "s#file://None$work/gitpkg#https://git.example.com/acme/gitpkg.git#g" \
    -e "s#git+file://$work/gitpkg#git+https://git.example.com/acme/gitpkg.git#g" \
    -e "s#file://$work/gitpkg#https://git.example.com/acme/gitpkg.git#g" \
    -e "s#$work/gitpkg#https://git.example.com/acme/gitpkg.git#g" \
    "$@"
}

# A local git repository stands in for a VCS dependency (no git host is reachable here).
mkdir -p "$work/gitpkg/gitpkg"
cat > "$work/gitpkg/pyproject.toml" <<'TOML'
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "GitPkg"
version = "0.3.0"
dependencies = ["six==1.16.0"]
TOML
echo '' > "$work/gitpkg/gitpkg/__init__.py"
(cd "$work/gitpkg" && git init -q -b main && git add -A &&
  GIT_AUTHOR_DATE='2024-01-01T00:00:00Z' GIT_COMMITTER_DATE='2024-01-01T00:00:00Z' \
  git -c user.name=fixture -c user.email=fixture@example.com commit -q -m init)

# A local package used as an editable path dependency.
write_localpkg() {
  mkdir -p "$1/localpkg/localpkg"
  cat > "$1/localpkg/pyproject.toml" <<'TOML'
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "localpkg"
version = "0.1.0"
dependencies = ["idna"]
TOML
  echo '' > "$1/localpkg/localpkg/__init__.py"
}

# --- pip-compile: requirements.txt with and without hashes ---------------------------------
mkdir -p "$work/pip-compile" "$here/pip-compile"
cat > "$work/pip-compile/requirements.in" <<'IN'
flask==0.12.2
requests[socks]==2.19.0
IN
cat > "$work/pip-compile/requirements-dev.in" <<'IN'
-c requirements.txt
pytest==7.4.4
IN
(cd "$work/pip-compile" &&
  "$bin/pip-compile" -q --no-strip-extras --no-emit-index-url --output-file requirements.txt requirements.in &&
  "$bin/pip-compile" -q --no-strip-extras --no-emit-index-url --generate-hashes --output-file requirements-hashes.txt requirements.in &&
  "$bin/pip-compile" -q --no-strip-extras --no-emit-index-url --output-file requirements-dev.txt requirements-dev.in)
cp "$work/pip-compile/"requirements*.{in,txt} "$here/pip-compile/"

# --- poetry 2.x (lock-version 2.1: groups, markers) ----------------------------------------
mkdir -p "$work/poetry-v2" "$here/poetry-v2"
write_localpkg "$work/poetry-v2"
cat > "$work/poetry-v2/pyproject.toml" <<TOML
[project]
name = "fixture-app"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = [
  "flask==0.12.2",
  "requests[socks]==2.19.0",
  "localpkg",
  "gitpkg",
]

[project.optional-dependencies]
yaml = ["pyyaml==6.0.1"]

# With [project], poetry 2 takes only the sources of these from [tool.poetry.dependencies].
[tool.poetry]
package-mode = false

[tool.poetry.dependencies]
localpkg = { path = "localpkg", develop = true }
gitpkg = { git = "file://$work/gitpkg", rev = "main" }

[tool.poetry.group.dev.dependencies]
pytest = "7.4.4"
TOML
(cd "$work/poetry-v2" && "$bin/poetry" lock)
cp "$work/poetry-v2/pyproject.toml" "$work/poetry-v2/poetry.lock" "$here/poetry-v2/"
scrub "$here/poetry-v2/pyproject.toml" "$here/poetry-v2/poetry.lock"

# --- poetry 1.4 (lock-version 1.1: [metadata] content-hash, category) ----------------------
mkdir -p "$work/poetry-v1" "$here/poetry-v1"
cat > "$work/poetry-v1/pyproject.toml" <<'TOML'
[tool.poetry]
name = "fixture-app"
version = "0.1.0"
description = ""
authors = ["Fixture <fixture@example.com>"]

[tool.poetry.dependencies]
python = "^3.9"
flask = "0.12.2"
requests = { version = "2.19.0", extras = ["socks"] }

[tool.poetry.group.dev.dependencies]
pytest = "7.4.4"

# poetry 1.4 asks PyPI's JSON API, which only the simple index stands in for here: a legacy
# (PEP 503) source makes it use the simple index, and the lock records that source per package.
[[tool.poetry.source]]
name = "mirror"
url = "https://pypi.org/simple"
default = true

[build-system]
requires = ["poetry-core"]
build-backend = "poetry.core.masonry.api"
TOML
(cd "$work/poetry-v1" && "$tools/tools1/bin/poetry" lock --no-update)
cp "$work/poetry-v1/pyproject.toml" "$work/poetry-v1/poetry.lock" "$here/poetry-v1/"
scrub "$here/poetry-v1/pyproject.toml" "$here/poetry-v1/poetry.lock"

# --- pipenv ---------------------------------------------------------------------------------
mkdir -p "$work/pipenv" "$here/pipenv"
cat > "$work/pipenv/Pipfile" <<'TOML'
[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[packages]
flask = "==0.12.2"
requests = { version = "==2.19.0", extras = ["socks"] }

[dev-packages]
pytest = "==7.4.4"

[requires]
python_version = "3.11"
TOML
(cd "$work/pipenv" && "$bin/pipenv" lock)
cp "$work/pipenv/Pipfile" "$work/pipenv/Pipfile.lock" "$here/pipenv/"
scrub "$here/pipenv/Pipfile" "$here/pipenv/Pipfile.lock"

# --- uv -------------------------------------------------------------------------------------
mkdir -p "$work/uv" "$here/uv"
write_localpkg "$work/uv"
cat > "$work/uv/pyproject.toml" <<TOML
[project]
name = "fixture-app"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = [
  "flask==0.12.2",
  "requests[socks]==2.19.0",
  "localpkg",
  "gitpkg",
]

[project.optional-dependencies]
yaml = ["pyyaml==6.0.1"]

[dependency-groups]
dev = ["pytest==7.4.4"]

[tool.uv.sources]
localpkg = { path = "localpkg", editable = true }
gitpkg = { git = "file://$work/gitpkg", branch = "main" }
TOML
(cd "$work/uv" && "$bin/uv" lock -q)
cp "$work/uv/pyproject.toml" "$work/uv/uv.lock" "$here/uv/"
scrub "$here/uv/pyproject.toml" "$here/uv/uv.lock"

# Nothing of the real hosts or this machine may remain.
if grep -rlE "pypi\.org|pythonhosted\.org|$work" "$here" --exclude=generate.sh; then
  echo "a fixture still names a real host or a local path" >&2
  exit 1
fi
echo "fixtures written to $here"
