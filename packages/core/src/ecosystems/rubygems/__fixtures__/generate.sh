#!/usr/bin/env bash
# Regenerates the Gemfile.lock fixtures.
#
#   bundler-real/gems.locked  real: Bundler 2.3.7 (Debian bookworm's ruby 3.1) ran
#                             `bundle lock --local` on bundler-real/gems.rb, resolving against the
#                             gems Debian packages install (apt-get install ruby ruby-rack
#                             ruby-nokogiri ruby-rspec). This machine reaches no rubygems.org, so
#                             the `source` is an example host that is never contacted.
#   rails-app/Gemfile.lock    hand-written by rails-app.py in the shape Bundler 2.5 writes (GIT,
#                             PATH, GEM with platform variants, PLATFORMS, DEPENDENCIES with `!`,
#                             CHECKSUMS, RUBY VERSION, BUNDLED WITH), with old vulnerable gems
#                             (activerecord 3.2.10, rack 1.4.1, nokogiri 1.13.0). Its dependency
#                             lines follow the gems' real gemspecs; its sha256 values are
#                             PLACEHOLDERS (sha256 of "name-version.gem"), not the real digests.
# rubygems/gemfile-lock.int.test.ts checks both parse with the installed Bundler.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python3 "$here/rails-app.py" > "$here/rails-app/Gemfile.lock"
if command -v bundle3.1 > /dev/null || command -v bundle > /dev/null; then
  bundle="$(command -v bundle3.1 || command -v bundle)"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cp -r "$here/bundler-real/." "$work/"
  rm -f "$work/gems.locked"
  (cd "$work" && HOME="$work/home" BUNDLE_APP_CONFIG="$work/.bundle" "$bundle" lock --local)
  cp "$work/gems.locked" "$here/bundler-real/gems.locked"
fi
