// The commented starter config that `supplyaudit init` writes. A test parses it and validates it
// against the schema, so it cannot drift into something invalid.

export const STARTER_CONFIG_FILE = '.supplyauditrc.yaml';

export const STARTER_CONFIG = `# supplyaudit configuration. Reference: the JSON Schema shipped in
# @supplyaudit/core (schema/config.schema.json). Flags on the command line win over this file.

# Lowest severity that fails the run (exit 1): critical, high, medium, low or none.
# Unknown severities count as medium; malicious packages fail at every threshold but none.
failOn: high

# Advisory sources. Leave unset for OSV plus every native auditor that is installed.
# sources: [osv, npm-audit, pip-audit, cargo-audit, bundler-audit]

# Sources that must run: if one is skipped or fails, the scan is incomplete (exit 3).
requiredSources: [osv]

osv:
  # auto: the offline database when it exists and is fresh enough, else the OSV API.
  mode: auto
  # Offline data older than this many days is stale.
  maxAgeDays: 7

# Folders to skip besides node_modules, .git, vendor, target and virtualenvs.
exclude: []

checks:
  pinning:
    enabled: true
    severity: low
    # Report ranges in manifests even when a lockfile pins them.
    requireExact: false
    # Require --hash on every Python requirement.
    requireHashes: false
  lockfile:
    enabled: true
    severity: medium
  license:
    enabled: true
    severity: high
    unknownSeverity: low

licenses:
  # SPDX ids or expressions. Empty allow means everything not denied is allowed.
  allow: [MIT, ISC, Apache-2.0, BSD-2-Clause, BSD-3-Clause, 0BSD, Unlicense, CC0-1.0, Python-2.0, MPL-2.0]
  deny: [AGPL-3.0-only, AGPL-3.0-or-later, GPL-3.0-only, GPL-3.0-or-later]
  # Exceptions need a reason, and may expire:
  # exceptions:
  #   - package: some-package
  #     reason: Legal approved dynamic linking only, ticket LEGAL-123
  #     expires: 2027-06-30

# Registries each ecosystem may resolve from (dependency confusion). Unset: any registry.
# allowedRegistries:
#   npm: [https://registry.npmjs.org/]

# Packages to watch closely (monitoring).
critical: []

# Findings accepted on purpose. The id may be any alias (GHSA, CVE, PYSEC, RUSTSEC, ...).
# An expired ignore stops applying; one that matches nothing is reported as unused.
ignores: []
#  - id: GHSA-xxxx-xxxx-xxxx
#    reason: Only reachable from build tooling, never shipped
#    expires: 2027-01-31
#    package: lodash
`;
