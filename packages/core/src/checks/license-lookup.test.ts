// Local license sources, on real trees made in temporary folders: node_modules, a .venv's
// dist-info, vendor/bundle specifications. No network (offline options, no client).
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCargoMetadataLicenses } from '../ecosystems/cargo/license-lookup.js';
import { lookupNpmLicense, npmLicenseField } from '../ecosystems/npm/license-lookup.js';
import {
  licenseFromClassifiers,
  lookupPypiLicense,
  parsePythonMetadata,
} from '../ecosystems/pypi/license-lookup.js';
import {
  licensesFromGemspec,
  lookupRubygemsLicense,
} from '../ecosystems/rubygems/license-lookup.js';
import type { Ecosystem, Package } from '../model/index.js';
import {
  DEFAULT_REGISTRY_URLS,
  cleanLicenseText,
  joinAlternatives,
  licenseCachePath,
  readCachedLicense,
  writeCachedLicense,
  type LicenseLookupOptions,
} from './license-lookup.js';

function pkg(
  ecosystem: Ecosystem,
  name: string,
  version: string,
  extra: Partial<Package> = {},
): Package {
  return {
    ecosystem,
    name,
    version,
    purl: `pkg:x/${name}@${version}`,
    direct: true,
    dev: false,
    optional: false,
    paths: [],
    location: { file: 'lock', line: 1 },
    source: { type: 'registry' },
    ...extra,
  };
}

const offline = (): LicenseLookupOptions => ({ offline: true, registries: DEFAULT_REGISTRY_URLS });

let tmp = '';
let outside = '';
function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

beforeAll(() => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'sa-license-')));
  outside = realpathSync(mkdtempSync(join(tmpdir(), 'sa-license-outside-')));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('npm: installed package.json beside the lockfile', () => {
  let project = '';
  beforeAll(() => {
    project = join(tmp, 'npm-app');
    const nm = join(project, 'node_modules');
    write(
      join(nm, 'left-pad', 'package.json'),
      JSON.stringify({ name: 'left-pad', version: '1.3.0', license: 'WTFPL' }),
    );
    write(
      join(nm, '@babel', 'code-frame', 'package.json'),
      JSON.stringify({
        name: '@babel/code-frame',
        version: '7.24.7',
        license: { type: 'MIT', url: 'x' },
      }),
    );
    write(
      join(nm, 'json-schema', 'package.json'),
      JSON.stringify({
        name: 'json-schema',
        version: '0.2.3',
        licenses: [{ type: 'AFL-2.1' }, { type: 'BSD-3-Clause' }],
      }),
    );
    write(
      join(nm, 'hoisted', 'package.json'),
      JSON.stringify({ name: 'hoisted', version: '2.0.0', license: 'MIT' }),
    );
    // pnpm's layout: a link into node_modules/.pnpm, inside the project.
    write(
      join(nm, '.pnpm', 'linked@1.0.0', 'node_modules', 'linked', 'package.json'),
      JSON.stringify({ name: 'linked', version: '1.0.0', license: 'ISC' }),
    );
    symlinkSync(join(nm, '.pnpm', 'linked@1.0.0', 'node_modules', 'linked'), join(nm, 'linked'));
    // A link out of the project is never followed.
    write(
      join(outside, 'escape', 'package.json'),
      JSON.stringify({ name: 'escape', version: '1.0.0', license: 'MIT' }),
    );
    symlinkSync(join(outside, 'escape'), join(nm, 'escape'));
    write(
      join(project, 'secret', 'package.json'),
      JSON.stringify({ name: 'x', version: '1.0.0', license: 'MIT' }),
    );
  });

  it.each([
    ['left-pad', '1.3.0', 'WTFPL', 'installed'],
    ['@babel/code-frame', '7.24.7', 'MIT', 'installed'],
    ['json-schema', '0.2.3', '(AFL-2.1 OR BSD-3-Clause)', 'installed'],
    ['linked', '1.0.0', 'ISC', 'installed'],
    // another version is installed: says nothing about this one
    ['hoisted', '1.0.0', undefined, 'unknown'],
    ['escape', '1.0.0', undefined, 'unknown'],
    ['../secret', '1.0.0', undefined, 'unknown'],
    ['@scope/../../secret', '1.0.0', undefined, 'unknown'],
  ])('%s@%s → %s (%s)', async (name, version, license, source) => {
    const result = await lookupNpmLicense(pkg('npm', name, version), project, offline());
    expect(result.license).toBe(license);
    expect(result.source).toBe(source);
  });

  it('warns about a link out of the project', async () => {
    const result = await lookupNpmLicense(pkg('npm', 'escape', '1.0.0'), project, offline());
    expect(result.warnings).toEqual(['node_modules/escape: links outside the project; not read']);
  });

  it('prefers the lockfile', async () => {
    const result = await lookupNpmLicense(
      pkg('npm', 'left-pad', '1.3.0', { license: 'MIT' }),
      project,
      offline(),
    );
    expect(result).toEqual({ license: 'MIT', source: 'lockfile' });
  });

  it.each([
    [{ license: 'MIT' }, 'MIT'],
    [{ license: { type: 'ISC' } }, 'ISC'],
    [{ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] }, '(MIT OR Apache-2.0)'],
    [{ licenses: { type: 'BSD' } }, 'BSD'],
    [{ license: 'line1\nline2' }, undefined],
    [{ license: 42 }, undefined],
    [JSON.parse('{"__proto__": {"license": "MIT"}}') as unknown, undefined],
  ])('npmLicenseField(%j) = %j', (manifest, expected) => {
    expect(npmLicenseField(manifest)).toBe(expected);
  });
});

describe('PyPI: .venv dist-info METADATA', () => {
  let project = '';
  beforeAll(() => {
    project = join(tmp, 'py-app');
    const site = join(project, '.venv', 'lib', 'python3.12', 'site-packages');
    write(
      join(site, 'attrs-25.3.0.dist-info', 'METADATA'),
      'Metadata-Version: 2.4\nName: attrs\nVersion: 25.3.0\nLicense-Expression: MIT\nLicense-File: LICENSE\nClassifier: License :: OSI Approved :: Apache Software License\n\nBody: not a header\n',
    );
    write(
      join(site, 'requests-2.32.3.dist-info', 'METADATA'),
      'Metadata-Version: 2.1\nName: requests\nVersion: 2.32.3\nLicense: Apache-2.0\nClassifier: License :: OSI Approved :: Apache Software License\n\n',
    );
    write(
      join(site, 'typing_extensions-4.12.2.dist-info', 'METADATA'),
      'Metadata-Version: 2.1\nName: typing_extensions\nVersion: 4.12.2\nClassifier: License :: OSI Approved :: Python Software Foundation License\n\n',
    );
    write(
      join(site, 'PyYAML-6.0.1.dist-info', 'METADATA'),
      'Metadata-Version: 2.1\nName: PyYAML\nVersion: 6.0.1\nLicense: Copyright (c) 2017-2021 Ingy dot Net\n        Permission is hereby granted, free of charge...\nClassifier: License :: OSI Approved :: MIT License\n\n',
    );
    write(
      join(site, 'oldpkg-1.0.dist-info', 'METADATA'),
      'Metadata-Version: 1.0\nName: oldpkg\nVersion: 1.0\nLicense: UNKNOWN\n\n',
    );
  });

  it.each([
    ['attrs', '25.3.0', 'MIT', 'installed'],
    ['requests', '2.32.3', 'Apache-2.0', 'installed'],
    ['typing-extensions', '4.12.2', 'PSF-2.0', 'installed'],
    ['pyyaml', '6.0.1', 'MIT', 'installed'],
    ['oldpkg', '1.0', undefined, 'unknown'],
    ['requests', '2.31.0', undefined, 'unknown'],
    ['absent', '1.0.0', undefined, 'unknown'],
  ])('%s==%s → %s (%s)', async (name, version, license, source) => {
    const result = await lookupPypiLicense(pkg('PyPI', name, version), project, offline());
    expect(result.license).toBe(license);
    expect(result.source).toBe(source);
  });

  it('reads the header block only and notices a multi-line License', () => {
    expect(
      parsePythonMetadata(
        'Name: x\nVersion: 1\nLicense: MIT License\n  and more text\n\nLicense: body',
      ),
    ).toEqual({ name: 'x', version: '1', classifiers: [] });
  });

  it.each([
    [['License :: OSI Approved :: MIT License'], 'MIT'],
    [['License :: OSI Approved :: BSD License'], 'BSD License'],
    [
      [
        'License :: OSI Approved :: MIT License',
        'License :: OSI Approved :: Apache Software License',
      ],
      '(MIT OR Apache-2.0)',
    ],
    [['License :: OSI Approved'], undefined],
    [['Programming Language :: Python'], undefined],
  ])('classifiers %j → %j', (classifiers, expected) => {
    expect(licenseFromClassifiers(classifiers)).toBe(expected);
  });
});

describe('RubyGems: vendor/bundle specifications', () => {
  let project = '';
  beforeAll(() => {
    project = join(tmp, 'rb-app');
    const specs = join(project, 'vendor', 'bundle', 'ruby', '3.2.0', 'specifications');
    write(
      join(specs, 'rack-3.0.8.gemspec'),
      '# -*- encoding: utf-8 -*-\n# stub: rack 3.0.8 ruby lib\n\nGem::Specification.new do |s|\n  s.name = "rack".freeze\n  s.version = "3.0.8".freeze\n  s.licenses = ["MIT".freeze]\n  s.summary = "A modular Ruby webserver interface".freeze\nend\n',
    );
    write(
      join(specs, 'nokogiri-1.15.4-x86_64-linux.gemspec'),
      'Gem::Specification.new do |s|\n  s.name = "nokogiri".freeze\n  s.licenses = ["MIT".freeze, "Apache-2.0".freeze]\nend\n',
    );
  });

  it.each([
    ['rack', '3.0.8', undefined, 'MIT', 'installed'],
    ['nokogiri', '1.15.4', 'x86_64-linux', '(MIT OR Apache-2.0)', 'installed'],
    ['rack', '2.2.8', undefined, undefined, 'unknown'],
    ['../rack', '3.0.8', undefined, undefined, 'unknown'],
  ])('%s %s (%s) → %s', async (name, version, platform, license, source) => {
    const result = await lookupRubygemsLicense(
      pkg('RubyGems', name, version, platform === undefined ? {} : { platform }),
      project,
      offline(),
    );
    expect(result.license).toBe(license);
    expect(result.source).toBe(source);
  });

  it('reads `s.license =` too', () => {
    expect(licensesFromGemspec('  s.license = "Ruby".freeze\n')).toBe('Ruby');
  });
});

describe('cargo metadata output', () => {
  it('maps name@version to license', () => {
    const stdout = JSON.stringify({
      packages: [
        { name: 'serde', version: '1.0.210', license: 'MIT OR Apache-2.0', id: 'x' },
        { name: 'nolicense', version: '0.1.0', license: null },
      ],
      version: 1,
    });
    expect([...parseCargoMetadataLicenses(stdout)]).toEqual([
      ['serde@1.0.210', 'MIT OR Apache-2.0'],
    ]);
    expect(parseCargoMetadataLicenses('not json').size).toBe(0);
  });
});

describe('shared helpers', () => {
  it('keeps names, drops bodies', () => {
    expect(cleanLicenseText('  MIT  ')).toBe('MIT');
    expect(cleanLicenseText('x'.repeat(513))).toBeUndefined();
    expect(cleanLicenseText('a\nb')).toBeUndefined();
    expect(joinAlternatives(['MIT', 'MIT'])).toBe('MIT');
    expect(joinAlternatives(['MIT', 'Apache License 2.0'])).toBe('(MIT OR (Apache License 2.0))');
  });

  it('caches by ecosystem, name and version in files whose names carry neither', async () => {
    const options: LicenseLookupOptions = { ...offline(), cacheDir: join(tmp, 'cache') };
    const path = licenseCachePath(join(tmp, 'cache'), 'npm', '../../evil', '1.0.0');
    expect(dirname(path)).toBe(join(tmp, 'cache', 'npm'));
    expect(
      await writeCachedLicense(options, 'npm', '../../evil', '1.0.0', { license: 'MIT' }),
    ).toBeUndefined();
    expect(await readCachedLicense(options, 'npm', '../../evil', '1.0.0')).toEqual({
      license: 'MIT',
    });
    expect(await readCachedLicense(options, 'npm', '../../evil', '1.0.1')).toBeUndefined();
    // A damaged entry is a miss, not an error.
    writeFileSync(path, '{"format":1,');
    expect(await readCachedLicense(options, 'npm', '../../evil', '1.0.0')).toBeUndefined();
  });
});
