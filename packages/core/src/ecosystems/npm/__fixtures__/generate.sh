#!/usr/bin/env bash
# Regenerates the npm-family lockfile fixtures with the real package managers (needs the npm
# registry). Every case installs the same small app; results go beside this script.
#   small app: a scoped package whose deps use `npm:` aliases (@isaacs/cliui), a direct alias
#   (lodash-legacy -> npm:lodash@4.17.15), mkdirp@0.5.1 -> minimist@0.0.8 nested under a root
#   minimist@1.2.8, a devDependency (is-number@7.0.0) and an optional one (is-odd@3.0.1 ->
#   is-number@^6 nested).
# Registry hosts in the results are rewritten to https://npm.example.com/.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A clean npm config: the user's may omit `resolved` from lockfiles or point elsewhere.
printf 'registry=https://registry.npmjs.org/\nfund=false\naudit=false\nupdate-notifier=false\n' >"$work/npmrc"
export npm_config_userconfig="$work/npmrc"
export npm_config_cache="$work/npm-cache"
export COREPACK_ENABLE_STRICT=0

app_json() { # $1 = name
  cat <<EOF
{
  "name": "$1",
  "version": "1.0.0",
  "private": true,
  "dependencies": {
    "@isaacs/cliui": "8.0.2",
    "lodash-legacy": "npm:lodash@4.17.15",
    "minimist": "1.2.8",
    "mkdirp": "0.5.1"
  },
  "devDependencies": {
    "is-number": "7.0.0"
  },
  "optionalDependencies": {
    "is-odd": "3.0.1"
  }
}
EOF
}

lib_json() { # a workspace member with a peer dependency
  cat <<EOF
{
  "name": "lib",
  "version": "0.2.0",
  "dependencies": {
    "ajv": "6.12.6",
    "ajv-keywords": "3.5.2",
    "mkdirp": "0.5.1"
  },
  "devDependencies": {
    "minimist": "1.2.8"
  }
}
EOF
}

fresh() { # $1 = case name; prints the working directory
  rm -rf "${work:?}/$1"
  mkdir -p "$work/$1"
  echo "$work/$1"
}

keep() { # $1 = case name, then files relative to the case directory
  local name="$1"
  shift
  rm -rf "${here:?}/$name"
  for f in "$@"; do
    mkdir -p "$here/$name/$(dirname "$f")"
    sed -e 's#https://registry\.npmjs\.org/#https://npm.example.com/#g' \
      -e 's#https://registry\.yarnpkg\.com/#https://npm.example.com/#g' \
      "$work/$name/$f" >"$here/$name/$f"
  done
}

npm_flags=(--package-lock-only --ignore-scripts --no-audit --no-fund)

# npm 11: lockfile v3 (default) and v2
d="$(fresh package-lock-v3)"
app_json app >"$d/package.json"
(cd "$d" && npm install "${npm_flags[@]}")
keep package-lock-v3 package.json package-lock.json

d="$(fresh package-lock-v2)"
app_json app >"$d/package.json"
(cd "$d" && npm install "${npm_flags[@]}" --lockfile-version 2)
keep package-lock-v2 package.json package-lock.json

# npm 6: lockfile v1
d="$(fresh package-lock-v1)"
app_json app >"$d/package.json"
(cd "$d" && npx -y npm@6 install "${npm_flags[@]}")
keep package-lock-v1 package.json package-lock.json

# npm-shrinkwrap.json (npm 11)
d="$(fresh npm-shrinkwrap)"
app_json app >"$d/package.json"
(cd "$d" && npm install "${npm_flags[@]}" && npm shrinkwrap --ignore-scripts)
keep npm-shrinkwrap package.json npm-shrinkwrap.json

# npm workspace: root app + packages/lib (npm 11, v3)
d="$(fresh npm-workspace)"
app_json app | node -e '
  const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
  j.workspaces = ["packages/*"];
  j.dependencies.lib = "0.2.0";
  process.stdout.write(JSON.stringify(j, null, 2) + "\n");' >"$d/package.json"
mkdir -p "$d/packages/lib"
lib_json >"$d/packages/lib/package.json"
(cd "$d" && npm install "${npm_flags[@]}")
keep npm-workspace package.json packages/lib/package.json package-lock.json

# pnpm workspaces with 2 importers: v9 (pnpm 10), v6 (pnpm 8) and v5.4 (pnpm 7)
pnpm_case() { # $1 = case, $2 = pnpm version
  local d
  d="$(fresh "$1")"
  app_json app | node -e '
    const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
    j.dependencies.lib = "workspace:*";
    process.stdout.write(JSON.stringify(j, null, 2) + "\n");' >"$d/package.json"
  printf 'packages:\n  - packages/*\n' >"$d/pnpm-workspace.yaml"
  mkdir -p "$d/packages/lib"
  lib_json >"$d/packages/lib/package.json"
  (cd "$d" && npx -y "pnpm@$2" install --lockfile-only --ignore-scripts \
    --store-dir "$work/pnpm-store" --config.auto-install-peers=true)
  keep "$1" package.json pnpm-workspace.yaml packages/lib/package.json pnpm-lock.yaml
}
pnpm_case pnpm-v9 10
pnpm_case pnpm-v6 8
pnpm_case pnpm-v5 7

# yarn classic (1.22.22)
d="$(fresh yarn-classic)"
app_json app >"$d/package.json"
(cd "$d" && npx -y yarn@1.22.22 install --ignore-scripts --non-interactive --no-progress \
  --registry https://registry.npmjs.org --cache-folder "$work/yarn-cache" \
  --modules-folder "$work/yarn-classic-modules")
keep yarn-classic package.json yarn.lock

# yarn berry (4), node-modules linker, lockfile only
d="$(fresh yarn-berry)"
app_json app >"$d/package.json"
printf 'nodeLinker: node-modules\nenableTelemetry: false\nenableGlobalCache: false\nnpmRegistryServer: "https://registry.npmjs.org"\n' >"$d/.yarnrc.yml"
touch "$d/yarn.lock"
(cd "$d" && YARN_IGNORE_PATH=1 YARN_ENABLE_SCRIPTS=0 npx -y @yarnpkg/cli-dist@4 install \
  --mode=update-lockfile)
keep yarn-berry package.json .yarnrc.yml yarn.lock

# yarn berry workspace: root app + packages/lib
d="$(fresh yarn-berry-workspace)"
app_json app | node -e '
  const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
  j.workspaces = ["packages/*"];
  j.dependencies.lib = "workspace:*";
  process.stdout.write(JSON.stringify(j, null, 2) + "\n");' >"$d/package.json"
mkdir -p "$d/packages/lib"
lib_json >"$d/packages/lib/package.json"
cp "$work/yarn-berry/.yarnrc.yml" "$d/.yarnrc.yml"
touch "$d/yarn.lock"
(cd "$d" && YARN_IGNORE_PATH=1 YARN_ENABLE_SCRIPTS=0 npx -y @yarnpkg/cli-dist@4 install \
  --mode=update-lockfile)
keep yarn-berry-workspace package.json packages/lib/package.json .yarnrc.yml yarn.lock

echo "fixtures written to $here"
