// Lockfiles that use `__proto__`, `constructor` and `prototype` as package names and as object
// keys (with a `polluted` payload below them), and duplicate keys, in every format.
import type { ProjectFiles } from './formats.js';

const pkgJson = `{ "name": "app", "version": "1.0.0", "dependencies": { "__proto__": "1.0.0", "constructor": "1.0.0", "prototype": "1.0.0", "lodash": "4.17.15" } }\n`;

const INTEGRITY = 'sha512-AAAA';

export const HOSTILE_KEYS: Record<string, ProjectFiles> = {
  'package-lock': [
    [
      'package-lock.json',
      `{
  "name": "app",
  "lockfileVersion": 3,
  "__proto__": { "polluted": "top" },
  "constructor": { "prototype": { "polluted": "ctor" } },
  "packages": {
    "": { "name": "app", "dependencies": { "__proto__": "1.0.0", "constructor": "1.0.0", "prototype": "1.0.0", "lodash": "4.17.15" } },
    "__proto__": { "polluted": "packages" },
    "node_modules/__proto__": { "version": "1.0.0", "integrity": "${INTEGRITY}", "__proto__": { "polluted": "entry" } },
    "node_modules/constructor": { "version": "1.0.0", "integrity": "${INTEGRITY}", "constructor": { "prototype": { "polluted": "entry" } } },
    "node_modules/prototype": { "version": "1.0.0", "integrity": "${INTEGRITY}", "dependencies": { "__proto__": "1.0.0" } },
    "node_modules/lodash": { "version": "4.17.15", "integrity": "${INTEGRITY}" },
    "node_modules/lodash": { "version": "4.17.15", "integrity": "${INTEGRITY}" }
  }
}
`,
    ],
    ['package.json', pkgJson],
  ],
  'pnpm-lock': [
    [
      'pnpm-lock.yaml',
      `lockfileVersion: '9.0'

__proto__:
  polluted: top

importers:

  .:
    dependencies:
      __proto__:
        specifier: 1.0.0
        version: 1.0.0
      constructor:
        specifier: 1.0.0
        version: 1.0.0
      prototype:
        specifier: 1.0.0
        version: 1.0.0
      lodash:
        specifier: 4.17.15
        version: 4.17.15

packages:

  __proto__@1.0.0:
    resolution: {integrity: ${INTEGRITY}}
    <<: {__proto__: {polluted: merged}, constructor: {prototype: {polluted: merged}}}

  constructor@1.0.0:
    resolution: {integrity: ${INTEGRITY}}
    constructor:
      prototype:
        polluted: entry

  prototype@1.0.0:
    resolution: {integrity: ${INTEGRITY}}

  lodash@4.17.15:
    resolution: {integrity: ${INTEGRITY}}

snapshots:

  __proto__@1.0.0: {}

  constructor@1.0.0: {}

  prototype@1.0.0: {}

  lodash@4.17.15: {}
`,
    ],
    ['package.json', pkgJson],
  ],
  'yarn-classic': [
    [
      'yarn.lock',
      `# yarn lockfile v1


__proto__@1.0.0:
  version "1.0.0"
  __proto__ "polluted"

constructor@1.0.0:
  version "1.0.0"
  constructor "polluted"

prototype@1.0.0:
  version "1.0.0"

lodash@4.17.15:
  version "4.17.15"
`,
    ],
    ['package.json', pkgJson],
  ],
  requirements: [
    ['requirements.txt', '__proto__==1.0.0\nconstructor==1.0.0\nprototype==1.0.0\njinja2==2.10\n'],
  ],
  'poetry-lock': [
    [
      'poetry.lock',
      `[[package]]
name = "__proto__"
version = "1.0.0"
description = ""
optional = false
python-versions = "*"
files = []

[package.__proto__]
polluted = "entry"

[[package]]
name = "constructor"
version = "1.0.0"
description = ""
optional = false
python-versions = "*"
files = []
constructor.prototype.polluted = "entry"

[[package]]
name = "prototype"
version = "1.0.0"
description = ""
optional = false
python-versions = "*"
files = []

[package.dependencies]
__proto__ = "1.0.0"

[[package]]
name = "jinja2"
version = "2.10"
description = ""
optional = false
python-versions = "*"
files = []

[__proto__]
polluted = "top"

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "0000"
`,
    ],
  ],
  'uv-lock': [
    [
      'uv.lock',
      `version = 1
revision = 3
requires-python = ">=3.11"

[__proto__]
polluted = "top"

[[package]]
name = "__proto__"
version = "1.0.0"
source = { registry = "https://pypi.example.com/simple" }
__proto__ = { polluted = "entry" }

[[package]]
name = "constructor"
version = "1.0.0"
source = { registry = "https://pypi.example.com/simple" }
constructor = { prototype = { polluted = "entry" } }

[[package]]
name = "prototype"
version = "1.0.0"
source = { registry = "https://pypi.example.com/simple" }

[[package]]
name = "jinja2"
version = "2.10"
source = { registry = "https://pypi.example.com/simple" }
`,
    ],
  ],
  'pipfile-lock': [
    [
      'Pipfile.lock',
      `{
    "_meta": { "hash": { "sha256": "00" }, "pipfile-spec": 6, "requires": {}, "sources": [], "__proto__": { "polluted": "meta" } },
    "__proto__": { "polluted": "top" },
    "default": {
        "__proto__": { "version": "==1.0.0", "__proto__": { "polluted": "entry" } },
        "constructor": { "version": "==1.0.0", "constructor": { "prototype": { "polluted": "entry" } } },
        "prototype": { "version": "==1.0.0" },
        "jinja2": { "version": "==2.10" },
        "jinja2": { "version": "==2.10" }
    },
    "develop": {}
}
`,
    ],
  ],
  'cargo-lock': [
    [
      'Cargo.lock',
      `version = 4

[__proto__]
polluted = "top"

[[package]]
name = "__proto__"
version = "1.0.0"
source = "registry+https://crates.example.com/crates.io-index"
__proto__ = { polluted = "entry" }

[[package]]
name = "constructor"
version = "1.0.0"
source = "registry+https://crates.example.com/crates.io-index"
dependencies = ["__proto__"]

[[package]]
name = "prototype"
version = "1.0.0"
source = "registry+https://crates.example.com/crates.io-index"

[[package]]
name = "smallvec"
version = "0.6.13"
source = "registry+https://crates.example.com/crates.io-index"
`,
    ],
  ],
  'gemfile-lock': [
    [
      'Gemfile.lock',
      `GEM
  remote: https://rubygems.example.com/
  specs:
    __proto__ (1.0.0)
      constructor (>= 0)
    constructor (1.0.0)
    prototype (1.0.0)
    rack (2.0.1)

PLATFORMS
  ruby

DEPENDENCIES
  __proto__
  constructor
  prototype
  rack

BUNDLED WITH
   2.5.0
`,
    ],
  ],
};
