#!/usr/bin/env bash
# Rebuilds the lockfile-check fixtures from the ecosystems' real fixtures (made by real npm, pipenv,
# poetry, uv, cargo and Bundler; see their generate.sh), with small edits that put each copy out
# of sync. The recorded hashes of the *-in-sync copies are recomputed for the scrubbed manifests:
# pipenv's algorithm (plette Pipfile.get_hash) in Python, poetry's by poetry 2.5.1 itself
# (Locker._get_content_hash), so that POETRY_PY points at a python with poetry==2.5.1 installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
eco="$here/../../../ecosystems"
POETRY_PY="${POETRY_PY:-python3}"
cd "$here"
rm -rf npm-out-of-sync pipenv-* poetry-v* cargo-out-of-sync gem-out-of-sync uv-out-of-sync
# npm: a workspace; a range the locked version misses, a new and a removed dependency, one entry
# without integrity, one from plain http on loopback.
mkdir -p npm-out-of-sync/packages/lib
cp "$eco/npm/__fixtures__/npm-workspace/package-lock.json" npm-out-of-sync/
cp "$eco/npm/__fixtures__/npm-workspace/packages/lib/package.json" npm-out-of-sync/packages/lib/
python3 - <<'PY'
import json, re
src = json.load(open('../../../ecosystems/npm/__fixtures__/npm-workspace/package.json'))
deps = src['dependencies']
src['dependencies'] = {'@isaacs/cliui': deps['@isaacs/cliui'], 'lodash-legacy': deps['lodash-legacy'],
                       'minimist': '^2.0.0', 'left-pad': '1.3.0', 'lib': deps['lib']}
open('npm-out-of-sync/package.json', 'w').write(json.dumps(src, indent=2) + '\n')
p = 'npm-out-of-sync/package-lock.json'
s = open(p).read().replace('"resolved": "https://npm.example.com/minimist/-/minimist-1.2.8.tgz"',
                           '"resolved": "http://127.0.0.1:4873/minimist/-/minimist-1.2.8.tgz"', 1)
out, cur = [], None
for l in s.split('\n'):
    m = re.match(r'    "(node_modules/[^"]+)": \{', l)
    if m: cur = m.group(1)
    if cur == 'node_modules/is-number' and l.strip().startswith('"integrity"'): continue
    out.append(l)
open(p, 'w').write('\n'.join(out))
PY
# pipenv
mkdir -p pipenv-in-sync pipenv-out-of-sync
cp "$eco/pypi/__fixtures__/pipenv/Pipfile" pipenv-in-sync/
python3 - <<'PY'
import json, hashlib, tomllib, re
d = tomllib.load(open('pipenv-in-sync/Pipfile', 'rb'))
data = {"_meta": {"sources": d["source"], "requires": d.get("requires", {})},
        "default": d.get("packages", {}), "develop": d.get("dev-packages", {})}
h = hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
lock = open('../../../ecosystems/pypi/__fixtures__/pipenv/Pipfile.lock').read()
lock = re.sub(r'"sha256": "[0-9a-f]{64}"', f'"sha256": "{h}"', lock, count=1)
for d2 in ['pipenv-in-sync', 'pipenv-out-of-sync']:
    open(f'{d2}/Pipfile.lock', 'w').write(lock)
PY
sed 's/^pytest = "==7.4.4"/pytest = "==7.4.4"\nblack = "*"/' pipenv-in-sync/Pipfile > pipenv-out-of-sync/Pipfile
# poetry
for v in poetry-v1 poetry-v2; do
  mkdir -p "$v-in-sync" "$v-out-of-sync"
  cp "$eco/pypi/__fixtures__/$v/pyproject.toml" "$v-in-sync/"
done
sed 's/^pytest = "7.4.4"/pytest = "7.4.4"\nblack = "^24.1"/' poetry-v1-in-sync/pyproject.toml > poetry-v1-out-of-sync/pyproject.toml
sed 's/^  "gitpkg",/  "gitpkg",\n  "click>=8",/' poetry-v2-in-sync/pyproject.toml > poetry-v2-out-of-sync/pyproject.toml
"$POETRY_PY" - <<'PY'
import re, tomllib
from poetry.packages.locker import Locker
for v in ['poetry-v1', 'poetry-v2']:
    locker = Locker.__new__(Locker)
    locker._pyproject_data = tomllib.load(open(f'{v}-in-sync/pyproject.toml', 'rb'))
    h = locker._get_content_hash()
    lock = open(f'../../../ecosystems/pypi/__fixtures__/{v}/poetry.lock').read()
    lock = re.sub(r'content-hash = "[0-9a-f]+"', f'content-hash = "{h}"', lock)
    for d in ['in-sync', 'out-of-sync']:
        open(f'{v}-{d}/poetry.lock', 'w').write(lock)
PY
# uv: a widened requirement and a new one
mkdir -p uv-out-of-sync
cp "$eco/pypi/__fixtures__/uv/uv.lock" uv-out-of-sync/
sed 's/"flask==0.12.2",/"flask>=1.0",/; s/  "gitpkg",/  "gitpkg",\n  "click>=8",/' "$eco/pypi/__fixtures__/uv/pyproject.toml" > uv-out-of-sync/pyproject.toml
# cargo: a member requires a version the lock misses, adds serde, drops time
mkdir -p cargo-out-of-sync
cp -r "$eco/cargo/__fixtures__/workspace/." cargo-out-of-sync/
sed -i 's/smallvec = "=0.6.13"/smallvec = "=1.0.0"\nserde = "1"/; /^time = "=0.1.43"$/d' cargo-out-of-sync/crates/app/Cargo.toml
# bundler: a changed requirement, a new gem, a removed one
mkdir -p gem-out-of-sync
cp "$eco/rubygems/__fixtures__/rails-app/Gemfile.lock" gem-out-of-sync/
cp -r "$eco/rubygems/__fixtures__/rails-app/vendor" gem-out-of-sync/
sed 's/^gem "rack", "1.4.1"$/gem "rack", "~> 2.0"\ngem "puma"/; /^gem "webmock", group: :test$/d' \
  "$eco/rubygems/__fixtures__/rails-app/Gemfile" > gem-out-of-sync/Gemfile
