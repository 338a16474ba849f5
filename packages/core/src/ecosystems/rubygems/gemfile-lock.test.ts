import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Package } from '../../model/index.js';
import type { ParseResult } from '../types.js';
import { readDevOnlyGems } from './gemfile-groups.js';
import { gemfileLockParser, parseGemfileLock } from './gemfile-lock.js';

const fixtures = new URL('./__fixtures__/', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, fixtures), 'utf8');
const ids = (packages: readonly Package[]): string[] =>
  packages.map(
    (p) => `${p.name}@${p.version ?? ''}${p.platform === undefined ? '' : `-${p.platform}`}`,
  );

function find(result: ParseResult, name: string, platform?: string): Package {
  const found = result.packages.find((p) => p.name === name && p.platform === platform);
  if (found === undefined) throw new Error(`no ${name} in the result`);
  return found;
}

const railsApp = (text = read('rails-app/Gemfile.lock')): ParseResult =>
  parseGemfileLock(text, {
    file: 'Gemfile.lock',
    manifestFile: 'Gemfile',
    manifestText: read('rails-app/Gemfile'),
  });

const RAILS_APP = [
  'acme-client@2.0.0.pre.alpha',
  'mylib@1.0.0.rc1',
  'activemodel@3.2.10',
  'activerecord@3.2.10',
  'activesupport@3.2.10',
  'addressable@2.3.2',
  'arel@3.0.2',
  'builder@3.0.4',
  'crack@0.3.2',
  'diff-lcs@1.1.3',
  'i18n@0.6.1',
  'mini_portile2@2.7.1',
  'multi_json@1.5.0',
  'nokogiri@1.13.0',
  'nokogiri@1.13.0-arm64-darwin',
  'nokogiri@1.13.0-x86_64-linux',
  'racc@1.6.0',
  'rack@1.4.1',
  'rspec@2.12.0',
  'rspec-core@2.12.2',
  'rspec-expectations@2.12.1',
  'rspec-mocks@2.12.2',
  'tzinfo@0.3.35',
  'webmock@1.9.0',
];

describe('rubygems/gemfile-lock', () => {
  it('matches Gemfile.lock and gems.locked', () => {
    expect(
      ['Gemfile.lock', 'gems.locked', 'Gemfile', 'gemfile.lock'].map(gemfileLockParser.matches),
    ).toEqual([true, true, false, false]);
  });

  describe('a Bundler 2.5 lockfile with GIT, PATH, platform gems and CHECKSUMS', () => {
    const result = railsApp();

    it('lists one package per spec entry (one per platform variant), in file order', () => {
      expect(result.diagnostics).toEqual([]);
      expect(result.packages).toHaveLength(24);
      expect(ids(result.packages)).toEqual(RAILS_APP);
    });

    it('splits the platform off the version and puts it in the purl', () => {
      const linux = find(result, 'nokogiri', 'x86_64-linux');
      expect(linux).toMatchObject({
        version: '1.13.0',
        platform: 'x86_64-linux',
        purl: 'pkg:gem/nokogiri@1.13.0?platform=x86_64-linux',
        direct: true,
        dev: false,
        location: { file: 'Gemfile.lock', line: 42 },
        integrity: 'sha256:86795878e0ea9fa20222c371f1c58d562f8d8e9796fcf11f04342546ed30c520',
      });
      const pure = find(result, 'nokogiri');
      expect(pure.purl).toBe('pkg:gem/nokogiri@1.13.0');
      expect(pure.location.line).toBe(37);
      expect(pure.platform).toBeUndefined();
    });

    it('reads git, path and registry sources; path gems are local', () => {
      expect(find(result, 'acme-client')).toMatchObject({
        version: '2.0.0.pre.alpha',
        direct: true,
        location: { line: 6 },
        source: {
          type: 'git',
          url: 'https://git.example.com/acme/acme-client.git',
          commit: '5d1c0ffee0ddba11c0de5eed0fba5eba11ad1dea',
        },
      });
      expect(find(result, 'acme-client').integrity).toBeUndefined();
      expect(find(result, 'mylib')).toMatchObject({
        version: '1.0.0.rc1',
        local: true,
        direct: true,
        location: { line: 12 },
        source: { type: 'path', path: 'vendor/mylib' },
      });
      expect(find(result, 'rack').source).toEqual({
        type: 'registry',
        url: 'https://gems.example.com/',
      });
      expect(result.packages.filter((p) => p.local === true).map((p) => p.name)).toEqual(['mylib']);
    });

    it('takes direct gems from DEPENDENCIES and dev-only gems from the Gemfile groups', () => {
      expect(ids(result.packages.filter((p) => p.direct))).toEqual([
        'acme-client@2.0.0.pre.alpha',
        'mylib@1.0.0.rc1',
        'activerecord@3.2.10',
        'nokogiri@1.13.0',
        'nokogiri@1.13.0-arm64-darwin',
        'nokogiri@1.13.0-x86_64-linux',
        'rack@1.4.1',
        'rspec@2.12.0',
        'webmock@1.9.0',
      ]);
      expect(ids(result.packages.filter((p) => p.dev))).toEqual([
        'addressable@2.3.2',
        'crack@0.3.2',
        'diff-lcs@1.1.3',
        'rspec@2.12.0',
        'rspec-core@2.12.2',
        'rspec-expectations@2.12.1',
        'rspec-mocks@2.12.2',
        'webmock@1.9.0',
      ]);
    });

    it('records the shortest dependency paths', () => {
      expect(find(result, 'i18n').paths).toEqual([
        ['Gemfile', 'activerecord@3.2.10', 'activesupport@3.2.10', 'i18n@0.6.1'],
        ['Gemfile', 'mylib@1.0.0.rc1', 'activesupport@3.2.10', 'i18n@0.6.1'],
      ]);
      expect(find(result, 'racc').paths).toEqual([
        ['Gemfile', 'nokogiri@1.13.0', 'racc@1.6.0'],
        ['Gemfile', 'nokogiri@1.13.0-arm64-darwin', 'racc@1.6.0'],
        ['Gemfile', 'nokogiri@1.13.0-x86_64-linux', 'racc@1.6.0'],
      ]);
      expect(find(result, 'diff-lcs').paths).toEqual([
        ['Gemfile', 'rspec@2.12.0', 'rspec-expectations@2.12.1', 'diff-lcs@1.1.3'],
      ]);
    });

    it('reads CRLF and a BOM with the same lines', () => {
      const crlf = railsApp(`\ufeff${read('rails-app/Gemfile.lock').replaceAll('\n', '\r\n')}`);
      expect(crlf.diagnostics).toEqual([]);
      expect(ids(crlf.packages)).toEqual(RAILS_APP);
      expect(find(crlf, 'nokogiri', 'x86_64-linux').location.line).toBe(42);
      expect(find(crlf, 'rack').integrity).toBe(find(result, 'rack').integrity);
    });

    it('without a Gemfile, counts every gem as shipped', () => {
      const bare = parseGemfileLock(read('rails-app/Gemfile.lock'), { file: 'sub/Gemfile.lock' });
      expect(bare.packages.filter((p) => p.dev)).toEqual([]);
      expect(find(bare, 'rack').paths).toEqual([['sub/Gemfile', 'rack@1.4.1']]);
    });
  });

  it('reads a gems.locked written by real Bundler 2.3.7', () => {
    const result = parseGemfileLock(read('bundler-real/gems.locked'), {
      file: 'gems.locked',
      manifestFile: 'gems.rb',
      manifestText: read('bundler-real/gems.rb'),
    });
    expect(result.diagnostics).toEqual([]);
    expect(ids(result.packages)).toEqual([
      'mylib@1.0.0.rc1',
      'diff-lcs@1.5.0',
      'mini_portile2@2.8.1',
      'nokogiri@1.13.10',
      'racc@1.6.2',
      'rack@2.2.22',
      'rspec@3.12.0',
      'rspec-core@3.12.0',
      'rspec-expectations@3.12.1',
      'rspec-mocks@3.12.1',
      'rspec-support@3.12.0',
    ]);
    expect(ids(result.packages.filter((p) => p.dev))).toEqual([
      'diff-lcs@1.5.0',
      'rspec@3.12.0',
      'rspec-core@3.12.0',
      'rspec-expectations@3.12.1',
      'rspec-mocks@3.12.1',
      'rspec-support@3.12.0',
    ]);
    expect(find(result, 'racc')).toMatchObject({
      direct: false,
      location: { line: 15 },
      paths: [['gems.rb', 'nokogiri@1.13.10', 'racc@1.6.2']],
    });
    expect(find(result, 'rack').integrity).toBeUndefined();
  });

  describe('hostile and malformed input', () => {
    it.each([
      ['', 'Gemfile.lock:1: no GEM, GIT, PATH or DEPENDENCIES section (not a Gemfile.lock?)'],
      [
        '{"lockfileVersion": 3}\n',
        'Gemfile.lock:1: no GEM, GIT, PATH or DEPENDENCIES section (not a Gemfile.lock?)',
      ],
      [
        'GEM\n  remote: https://gems.example.com/\n  specs:\n<<<<<<< HEAD\n    rack (1.4.1)\n',
        'Gemfile.lock:4: merge conflict marker; resolve the conflict and run bundle install',
      ],
    ])('fails %j', (text, message) => {
      expect(() => parseGemfileLock(text, { file: 'Gemfile.lock' })).toThrow(message);
    });

    it('keeps the rest of the file when one entry is bad', () => {
      const text = [
        'GEM',
        '  remote: https://gems.example.com/',
        '  specs:',
        '    rack 1.4.1',
        '    rack (1.4.1)',
        '    rack (1.4.1)',
        '    broken (-x86_64-linux)',
        '     odd (1.0)',
        '    thor (1.2.1)',
        '      rack',
        '      (oops',
        '',
        'DEPENDENCIES',
        '  thor',
        '  two words',
        '',
        'CHECKSUMS',
        '  thor (1.2.1) sha256',
      ].join('\n');
      const result = parseGemfileLock(text, { file: 'Gemfile.lock' });
      expect(ids(result.packages)).toEqual(['rack@1.4.1', 'thor@1.2.1']);
      expect(find(result, 'rack').paths).toEqual([['Gemfile', 'thor@1.2.1', 'rack@1.4.1']]);
      expect(result.diagnostics.map((d) => `${d.line ?? 0}: ${d.message}`)).toEqual([
        '4: malformed gem entry "rack 1.4.1"; skipped',
        '6: duplicate gem entry "rack (1.4.1)"; skipped',
        '7: malformed gem entry "broken (-x86_64-linux)"; skipped',
        '8: unexpected indentation of 5 spaces in GEM; line ignored',
        '11: malformed dependency "(oops"; ignored',
        '15: malformed dependency "two words"; ignored',
        '18: malformed checksum "thor (1.2.1) sha256"; ignored',
      ]);
    });

    it('keeps __proto__ and constructor as data', () => {
      const text = [
        'GEM',
        '  remote: https://gems.example.com/',
        '  __proto__: polluted',
        '  specs:',
        '    __proto__ (1.0.0)',
        '      constructor',
        '    constructor (2.0.0-java)',
        '',
        'DEPENDENCIES',
        '  __proto__',
        '',
        'CHECKSUMS',
        '  constructor (2.0.0-java) sha256=ab',
      ].join('\n');
      const gemfile = 'group :test do\n  gem "__proto__"\nend\n';
      const result = parseGemfileLock(text, { file: 'Gemfile.lock', manifestText: gemfile });
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(result.diagnostics).toEqual([]);
      expect(find(result, 'constructor', 'java')).toMatchObject({
        version: '2.0.0',
        purl: 'pkg:gem/constructor@2.0.0?platform=java',
        integrity: 'sha256:ab',
        dev: true,
        paths: [['Gemfile', '__proto__@1.0.0', 'constructor@2.0.0-java']],
      });
      expect(find(result, '__proto__')).toMatchObject({ direct: true, dev: true });
    });

    it('reads a 5 MB line and 20k gems in linear time', () => {
      const t0 = performance.now();
      const long = `GEM\n  specs:\n    ${'a'.repeat(5_000_000)} (1.0)\n      ${' ('.repeat(1_000_000)}\n`;
      const one = parseGemfileLock(long, { file: 'Gemfile.lock' });
      expect(one.packages).toHaveLength(1);
      const lines = ['GEM', '  remote: https://gems.example.com/', '  specs:'];
      // A binary tree: each gem depends on two others, 15 levels deep.
      for (let i = 0; i < 20_000; i++) {
        lines.push(`    g${i} (1.0.${i})`, `      g${2 * i + 1} (>= 0)`, `      g${2 * i + 2}`);
      }
      lines.push('', 'DEPENDENCIES', '  g0');
      const big = parseGemfileLock(lines.join('\n'), { file: 'Gemfile.lock' });
      expect(big.packages).toHaveLength(20_000);
      expect(big.packages[19_999]?.location.line).toBe(3 + 3 * 19_999 + 1);
      expect(big.packages[19_999]?.paths[0]).toHaveLength(16);
      expect(performance.now() - t0).toBeLessThan(3000);
    });
  });
});

describe('readDevOnlyGems', () => {
  it('reads group blocks, group options and repeated declarations', () => {
    const gemfile = [
      'source "https://gems.example.com"',
      'gem "rails", "~> 7.0" # comment with group: :test',
      'group :development, :test do',
      '  gem "rspec-rails"',
      '  platforms :mri do',
      '    gem "byebug"',
      '  end',
      '  gem "shared"',
      'end',
      'group(:test) { }',
      'gem "webmock", group: :test',
      'gem "pry", groups: [:development, :test], require: false',
      'gem "yard", :group => :docs',
      'gem "shared"',
      'if ENV["X"]',
      '  gem "conditional"',
      'end',
      "group 'test', optional: true do",
      "  gem 'capybara'",
      'end',
    ].join('\n');
    expect([...readDevOnlyGems(gemfile)].sort()).toEqual([
      'byebug',
      'capybara',
      'pry',
      'rspec-rails',
      'webmock',
    ]);
  });

  it('is linear on long runs of brackets', () => {
    const t0 = performance.now();
    readDevOnlyGems(`gem "x", groups: [${')'.repeat(200_000)}x`);
    readDevOnlyGems(`group ${'(['.repeat(200_000)}:test do\ngem "y"\nend`);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
