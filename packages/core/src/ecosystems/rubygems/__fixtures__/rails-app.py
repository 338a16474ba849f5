"""Writes rails-app/Gemfile.lock in the layout of Bundler 2.5 (see generate.sh)."""
import hashlib

GEM_SPECS = [
    ("activemodel", "3.2.10", ["activesupport (= 3.2.10)", "builder (~> 3.0.0)"]),
    ("activerecord", "3.2.10", ["activemodel (= 3.2.10)", "activesupport (= 3.2.10)",
                                "arel (~> 3.0.2)", "tzinfo (~> 0.3.29)"]),
    ("activesupport", "3.2.10", ["i18n (~> 0.6)", "multi_json (~> 1.0)"]),
    ("addressable", "2.3.2", []),
    ("arel", "3.0.2", []),
    ("builder", "3.0.4", []),
    ("crack", "0.3.2", []),
    ("diff-lcs", "1.1.3", []),
    ("i18n", "0.6.1", []),
    ("mini_portile2", "2.7.1", []),
    ("multi_json", "1.5.0", []),
    ("nokogiri", "1.13.0", ["mini_portile2 (~> 2.7.0)", "racc (~> 1.4)"]),
    ("nokogiri", "1.13.0-arm64-darwin", ["racc (~> 1.4)"]),
    ("nokogiri", "1.13.0-x86_64-linux", ["racc (~> 1.4)"]),
    ("racc", "1.6.0", []),
    ("rack", "1.4.1", []),
    ("rspec", "2.12.0", ["rspec-core (~> 2.12.0)", "rspec-expectations (~> 2.12.0)",
                         "rspec-mocks (~> 2.12.0)"]),
    ("rspec-core", "2.12.2", []),
    ("rspec-expectations", "2.12.1", ["diff-lcs (~> 1.1.3)"]),
    ("rspec-mocks", "2.12.2", []),
    ("tzinfo", "0.3.35", []),
    ("webmock", "1.9.0", ["addressable (>= 2.2.7)", "crack (>= 0.1.7)"]),
]


def placeholder_sha256(name, version):
    return hashlib.sha256(f"{name}-{version}.gem".encode()).hexdigest()


out = [
    "GIT",
    "  remote: https://git.example.com/acme/acme-client.git",
    "  revision: 5d1c0ffee0ddba11c0de5eed0fba5eba11ad1dea",
    "  branch: main",
    "  specs:",
    "    acme-client (2.0.0.pre.alpha)",
    "      rack (>= 1.0)",
    "",
    "PATH",
    "  remote: vendor/mylib",
    "  specs:",
    "    mylib (1.0.0.rc1)",
    "      activesupport (>= 3.0)",
    "",
    "GEM",
    "  remote: https://gems.example.com/",
    "  specs:",
]
for name, version, deps in GEM_SPECS:
    out.append(f"    {name} ({version})")
    out += [f"      {d}" for d in deps]
out += ["", "PLATFORMS", "  arm64-darwin", "  ruby", "  x86_64-linux", ""]
out += ["DEPENDENCIES", "  acme-client!", "  activerecord (= 3.2.10)", "  mylib!",
        "  nokogiri (= 1.13.0)", "  rack (= 1.4.1)", "  rspec (~> 2.12)", "  webmock", ""]
out += ["CHECKSUMS"]
specs = [("acme-client", "2.0.0.pre.alpha", False), ("mylib", "1.0.0.rc1", False)]
specs += [(n, v, True) for n, v, _ in GEM_SPECS]
for name, version, has_checksum in sorted(specs):
    line = f"  {name} ({version})"
    if has_checksum:
        line += f" sha256={placeholder_sha256(name, version)}"
    out.append(line)
out += ["", "RUBY VERSION", "   ruby 3.2.2p53", "", "BUNDLED WITH", "   2.5.6", ""]
print("\n".join(out), end="")
