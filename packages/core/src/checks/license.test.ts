import { describe, expect, it } from 'vitest';
import type { Ecosystem, InventoriedProject, Inventory, Package } from '../model/index.js';
import { configSchema, type ConfigInput } from '../policy/config.js';
import { checkLicenses, splitPackageSpec } from './license.js';
import type { LicenseLookup } from './license-lookup.js';

const PURL: Record<Ecosystem, string> = {
  npm: 'npm',
  PyPI: 'pypi',
  'crates.io': 'cargo',
  RubyGems: 'gem',
};

function pkg(
  name: string,
  version: string,
  line: number,
  extra: Partial<Package> = {},
  ecosystem: Ecosystem = 'npm',
): Package {
  return {
    ecosystem,
    name,
    version,
    purl: `pkg:${PURL[ecosystem]}/${name.replace('@', '%40')}@${version}`,
    direct: true,
    dev: false,
    optional: false,
    paths: [[`${name}@${version}`]],
    location: { file: 'package-lock.json', line },
    source: { type: 'registry' },
    ...extra,
  };
}

function inventoryOf(packages: Package[]): Inventory {
  const project: InventoriedProject = {
    ecosystem: 'npm',
    dir: '.',
    manifest: 'package.json',
    lockfile: 'package-lock.json',
    parser: 'npm/package-lock',
    packages,
    diagnostics: [],
    parsed: true,
  };
  return { root: '/nonexistent-root', projects: [project], diagnostics: [] };
}

/** Licenses "found" by a lookup: the lockfile's, as the real lookups do first. */
const lockfileOnly: LicenseLookup = (p) =>
  Promise.resolve(
    p.license === undefined ? { source: 'unknown' } : { license: p.license, source: 'lockfile' },
  );

const POLICY: ConfigInput = {
  licenses: {
    allow: ['MIT', 'Apache-2.0', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', 'Zlib'],
    deny: ['GPL-2.0-only', 'GPL-3.0-only', 'AGPL-3.0-or-later'],
  },
};

async function run(packages: Package[], input: ConfigInput = POLICY, now = '2025-06-01') {
  return checkLicenses(inventoryOf(packages), configSchema.parse(input), {
    lookups: { npm: lockfileOnly },
    now: new Date(`${now}T12:00:00Z`),
    offline: true,
  });
}

describe('checkLicenses', () => {
  it('judges real-world declarations, with exact messages', async () => {
    const result = await run([
      pkg('dual', '1.0.0', 10, { license: '(MIT OR Apache-2.0)' }),
      pkg('llvm-thing', '2.0.0', 20, { license: 'Apache-2.0 WITH LLVM-exception' }),
      pkg('old-gpl', '0.1.0', 30, { license: 'GPL-2.0+' }),
      pkg('bsd-ish', '1.2.3', 40, { license: 'BSD' }),
      pkg('custom', '3.0.0', 50, { license: 'SEE LICENSE IN LICENSE.md' }),
      pkg('private', '1.0.0', 60, { license: 'UNLICENSED' }),
      pkg('x11', '1.0.0', 70, { license: 'MIT/X11' }),
      pkg('apache-two', '4.0.0', 80, { license: 'Apache 2' }),
      pkg('zlib-mix', '1.0.0', 90, { license: '(MIT AND Zlib)' }),
      pkg('left-pad', '1.3.0', 100, { license: 'GPL-3.0-only' }),
      pkg('mixed', '1.0.0', 110, { license: 'MIT AND GPL-3.0-only' }),
      pkg('mpl', '2.0.0', 120, { license: 'MPL-2.0' }),
      pkg('nothing', '0.0.1', 130),
    ]);
    expect(
      result.entries.map((e) => [e.package, e.license, e.source, e.verdict, e.declared]),
    ).toEqual([
      ['dual', '(MIT OR Apache-2.0)', 'lockfile', 'allowed', undefined],
      ['llvm-thing', 'Apache-2.0 WITH LLVM-exception', 'lockfile', 'allowed', undefined],
      ['old-gpl', 'GPL-2.0+', 'lockfile', 'denied', undefined],
      ['bsd-ish', 'BSD-2-Clause', 'lockfile', 'allowed', 'BSD'],
      ['custom', 'SEE LICENSE IN LICENSE.md', 'lockfile', 'unknown', undefined],
      ['private', 'UNLICENSED', 'lockfile', 'unknown', undefined],
      ['x11', 'MIT', 'lockfile', 'allowed', 'MIT/X11'],
      ['apache-two', 'Apache-2.0', 'lockfile', 'allowed', 'Apache 2'],
      ['zlib-mix', '(MIT AND Zlib)', 'lockfile', 'allowed', undefined],
      ['left-pad', 'GPL-3.0-only', 'lockfile', 'denied', undefined],
      ['mixed', 'MIT AND GPL-3.0-only', 'lockfile', 'denied', undefined],
      ['mpl', 'MPL-2.0', 'lockfile', 'not-allowed', undefined],
      ['nothing', undefined, 'unknown', 'unknown', undefined],
    ]);
    expect(result.findings.map((f) => [f.id, f.severity, f.location?.line, f.message])).toEqual([
      ['license-denied', 'high', 30, 'old-gpl@0.1.0 is licensed GPL-2.0+, which is denied'],
      [
        'license-unknown',
        'low',
        50,
        'custom@3.0.0 has a custom license ("SEE LICENSE IN LICENSE.md"); review it by hand',
      ],
      [
        'license-unknown',
        'low',
        60,
        'private@1.0.0 is UNLICENSED: no license is granted to others',
      ],
      ['license-denied', 'high', 100, 'left-pad@1.3.0 is licensed GPL-3.0-only, which is denied'],
      [
        'license-denied',
        'high',
        110,
        'mixed@1.0.0 is licensed MIT AND GPL-3.0-only, which is denied (GPL-3.0-only)',
      ],
      [
        'license-not-allowed',
        'high',
        120,
        'mpl@2.0.0 is licensed MPL-2.0, which is not in the allow list',
      ],
      [
        'license-unknown',
        'low',
        130,
        'nothing@0.0.1 has no license information (offline: registries were not asked)',
      ],
    ]);
    expect(result.warnings).toEqual([
      'offline: 1 package had no license in local sources: nothing@0.0.1',
    ]);
  });

  it('fills the finding like every policy finding, with the package and its paths', async () => {
    const result = await run([pkg('left-pad', '1.3.0', 7, { license: 'GPL-3.0-only' })]);
    expect(result.findings).toEqual([
      {
        kind: 'license',
        id: 'license-denied',
        aliases: [],
        severity: 'high',
        summary: 'License GPL-3.0-only is denied',
        package: {
          ecosystem: 'npm',
          name: 'left-pad',
          version: '1.3.0',
          purl: 'pkg:npm/left-pad@1.3.0',
        },
        paths: [['left-pad@1.3.0']],
        location: { file: 'package-lock.json', line: 7 },
        fixedVersions: [],
        sources: [],
        message: 'left-pad@1.3.0 is licensed GPL-3.0-only, which is denied',
        subject: 'pkg:npm/left-pad@1.3.0',
      },
    ]);
  });

  it('says when normalisation changed the license', async () => {
    const result = await run([pkg('apache-two', '4.0.0', 1, { license: 'Apache 2' })], {
      licenses: { allow: ['MIT'] },
    });
    expect(result.findings.map((f) => f.message)).toEqual([
      'apache-two@4.0.0 is licensed Apache-2.0 ("Apache 2" read as Apache-2.0), which is not in the allow list',
    ]);
  });

  it('uses the configured severities and can be turned off', async () => {
    const packages = [
      pkg('left-pad', '1.3.0', 1, { license: 'GPL-3.0-only' }),
      pkg('nothing', '1.0.0', 2),
    ];
    const severities = await run(packages, {
      ...POLICY,
      checks: { license: { severity: 'critical', unknownSeverity: 'medium' } },
    });
    expect(severities.findings.map((f) => f.severity)).toEqual(['critical', 'medium']);
    const off = await run(packages, { ...POLICY, checks: { license: { enabled: false } } });
    expect(off.findings).toEqual([]);
    expect(off.entries.map((e) => e.verdict)).toEqual(['denied', 'unknown']);
  });

  it('skips the project itself (workspace members, path packages)', async () => {
    const result = await run([
      pkg('my-workspace', '1.0.0', 1, { local: true, license: 'UNLICENSED' }),
      pkg('left-pad', '1.3.0', 2, { license: 'MIT' }),
    ]);
    expect(result.entries.map((e) => e.package)).toEqual(['left-pad']);
  });

  it('gives an empty allow list everything not denied', async () => {
    const result = await run(
      [
        pkg('a', '1.0.0', 1, { license: 'MPL-2.0' }),
        pkg('b', '1.0.0', 2, { license: 'GPL-3.0-only' }),
      ],
      { licenses: { deny: ['GPL-3.0-only'] } },
    );
    expect(result.entries.map((e) => e.verdict)).toEqual(['allowed', 'denied']);
  });

  describe('exceptions', () => {
    const packages = [
      pkg('left-pad', '1.3.0', 1, { license: 'GPL-3.0-only' }),
      pkg('@scope/tool', '2.0.0', 2, { license: 'SEE LICENSE IN EULA.txt' }),
      pkg('mpl', '2.0.0', 3, { license: 'MPL-2.0' }),
    ];

    it('turn findings off by name, name@version and license, until they expire', async () => {
      const result = await run(packages, {
        licenses: {
          ...POLICY.licenses,
          exceptions: [
            {
              package: 'left-pad@1.3.0',
              reason: 'vendored, legal approved',
              expires: '2025-12-31',
            },
            { package: '@scope/tool@2.0.0', reason: 'bought a licence' },
            { package: 'mpl', license: 'MPL-2.0', reason: 'file-level copyleft is fine' },
          ],
        },
      });
      expect(result.findings).toEqual([]);
      expect(result.entries.map((e) => [e.package, e.verdict, e.exceptionReason])).toEqual([
        ['left-pad', 'excepted', 'vendored, legal approved'],
        ['@scope/tool', 'excepted', 'bought a licence'],
        ['mpl', 'excepted', 'file-level copyleft is fine'],
      ]);
      expect(result.warnings).toEqual([]);
    });

    it('stop applying on their expiry date and are reported', async () => {
      const result = await run(
        packages,
        {
          licenses: {
            ...POLICY.licenses,
            exceptions: [
              { package: 'left-pad', reason: 'until the rewrite', expires: '2025-06-01' },
              { package: 'mpl', license: 'MIT', reason: 'wrong license: does not match' },
              { package: 'left-pad@9.9.9', reason: 'other version' },
            ],
          },
        },
        '2025-06-01',
      );
      expect(result.findings.map((f) => f.id)).toEqual([
        'license-denied',
        'license-unknown',
        'license-not-allowed',
      ]);
      expect(result.warnings).toEqual([
        'licenses.exceptions[0] (left-pad) expired on 2025-06-01 and no longer applies',
        'licenses.exceptions[1] (mpl) matched no package that needed it',
        'licenses.exceptions[2] (left-pad@9.9.9) matched no package that needed it',
      ]);
    });
  });

  it('reports a lookup that throws as a warning and the package as unknown', async () => {
    const failing: LicenseLookup = () => Promise.reject(new Error('disk on fire'));
    const result = await checkLicenses(
      inventoryOf([pkg('a', '1.0.0', 1)]),
      configSchema.parse({}),
      {
        lookups: { npm: failing },
      },
    );
    expect(result.entries.map((e) => e.verdict)).toEqual(['unknown']);
    expect(result.warnings).toContain('a@1.0.0: license lookup failed: disk on fire');
  });
});

describe('splitPackageSpec', () => {
  it.each([
    ['left-pad', { name: 'left-pad' }],
    ['left-pad@1.3.0', { name: 'left-pad', version: '1.3.0' }],
    ['@scope/pkg', { name: '@scope/pkg' }],
    ['@scope/pkg@2.0.0', { name: '@scope/pkg', version: '2.0.0' }],
  ])('%s', (spec, expected) => {
    expect(splitPackageSpec(spec)).toEqual(expected);
  });
});
