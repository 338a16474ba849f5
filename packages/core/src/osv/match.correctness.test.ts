// The OSV rule on real records: every package@version is evaluated against ALL fixture records of
// its ecosystem, and the exact set of matching ids and fix versions is asserted.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../decode/json.js';
import type { Ecosystem } from '../model/index.js';
import { matchRecord } from './match.js';
import { parseOsvRecord, type OsvRecord } from './schema.js';

const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));

function load(dir: string): OsvRecord[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const result = parseOsvRecord(parseJson(readFileSync(join(dir, f), 'utf8'), f));
      if (!result.ok) throw new Error(`${f}: ${result.reason}`);
      return result.record;
    });
}

const RECORDS: Record<Ecosystem, OsvRecord[]> = {
  npm: [...load(join(fixtures, 'records/npm')), ...load(join(fixtures, 'synthetic'))],
  PyPI: load(join(fixtures, 'records/PyPI')),
  'crates.io': load(join(fixtures, 'records/crates.io')),
  RubyGems: load(join(fixtures, 'records/RubyGems')),
};

function evaluate(ecosystem: Ecosystem, name: string, version: string) {
  const ids: string[] = [];
  const fixes: Record<string, string[]> = {};
  for (const record of RECORDS[ecosystem]) {
    const m = matchRecord(record, { ecosystem, name, version });
    if (m === undefined) continue;
    ids.push(record.id);
    fixes[record.id] = m.fixedVersions;
  }
  return { ids: ids.sort(), fixes };
}

type Case = [string, string, Record<string, string[]>];

const npm: Case[] = [
  // two entries for express, the second a prerelease line
  ['express', '4.19.1', { 'GHSA-rv95-896h-c2vc': ['4.19.2'] }],
  ['express', '4.19.2', {}],
  ['express', '5.0.0-alpha.0', {}],
  ['express', '5.0.0-alpha.1', { 'GHSA-rv95-896h-c2vc': ['5.0.0-beta.3'] }],
  ['express', '5.0.0-beta.2', { 'GHSA-rv95-896h-c2vc': ['5.0.0-beta.3'] }],
  ['express', '5.0.0-beta.3', {}],
  ['express', '5.0.0', {}],
  ['@babel/traverse', '7.23.1', { 'GHSA-67hx-6x53-jw92': ['7.23.2'] }],
  ['@babel/traverse', '7.23.2', {}],
  ['@babel/traverse', '8.0.0-alpha.0', { 'GHSA-67hx-6x53-jw92': ['8.0.0-alpha.4'] }],
  ['@babel/traverse', '8.0.0-alpha.3', { 'GHSA-67hx-6x53-jw92': ['8.0.0-alpha.4'] }],
  ['@babel/traverse', '8.0.0-alpha.4', {}],
  ['babel-traverse', '6.26.0', { 'GHSA-67hx-6x53-jw92': [] }], // open-ended, no fix
  // one record, four lodash packages with four fixes; and three more lodash records
  [
    'lodash',
    '4.17.11',
    {
      'GHSA-29mw-wpgm-hmr9': ['4.17.21'],
      'GHSA-35jh-r3h4-6jhm': ['4.17.21'],
      'GHSA-jf85-cpcp-j695': ['4.17.12'],
      'GHSA-p6mc-m468-83gw': ['4.17.20'],
    },
  ],
  [
    'lodash',
    '4.17.12',
    {
      'GHSA-29mw-wpgm-hmr9': ['4.17.21'],
      'GHSA-35jh-r3h4-6jhm': ['4.17.21'],
      'GHSA-p6mc-m468-83gw': ['4.17.20'],
    },
  ],
  ['lodash', '4.17.21', {}],
  ['Lodash', '4.17.11', {}], // npm names are case-sensitive
  ['lodash', 'not-a-version', {}],
  ['lodash-amd', '4.17.12', { 'GHSA-jf85-cpcp-j695': ['4.17.13'] }],
  ['lodash-amd', '4.17.13', {}],
  ['lodash.defaultsdeep', '4.6.0', { 'GHSA-jf85-cpcp-j695': ['4.6.1'] }],
  ['lodash.defaultsdeep', '4.6.1', {}],
  // last_affected: the bound itself is affected
  ['lodash.trim', '4.5.1', { 'GHSA-29mw-wpgm-hmr9': [] }],
  ['lodash.trim', '4.5.2', {}],
  ['request', '2.88.2', { 'GHSA-p8p7-x288-28g6': [] }],
  ['request', '2.88.3', {}],
  ['@cypress/request', '2.88.11', { 'GHSA-p8p7-x288-28g6': [] }],
  ['@cypress/request', '2.88.12', {}],
  ['vm2', '3.9.19', { 'GHSA-g644-9gfx-q4q4': [] }],
  ['vm2', '3.9.20', {}],
  // nine entries for qs, one per release line: the fix of the line the version is in
  ['qs', '6.2.3', { 'GHSA-hrpp-h998-j3pp': ['6.2.4'] }],
  ['qs', '6.3.3', {}],
  ['qs', '6.9.6', { 'GHSA-hrpp-h998-j3pp': ['6.9.7'] }],
  ['qs', '6.9.7', {}],
  ['qs', '6.10.2', { 'GHSA-hrpp-h998-j3pp': ['6.10.3'] }],
  ['qs', '6.11.0', {}],
  // five entries for path-to-regexp, not in version order
  ['path-to-regexp', '0.1.7', { 'GHSA-9wv6-86v2-598j': ['0.1.10'] }],
  ['path-to-regexp', '0.1.10', {}],
  ['path-to-regexp', '1.8.0', { 'GHSA-9wv6-86v2-598j': ['1.9.0'] }],
  ['path-to-regexp', '3.2.0', { 'GHSA-9wv6-86v2-598j': ['3.3.0'] }],
  ['path-to-regexp', '6.2.2', { 'GHSA-9wv6-86v2-598j': ['6.3.0'] }],
  ['path-to-regexp', '6.3.0', {}],
  ['path-to-regexp', '7.0.0', { 'GHSA-9wv6-86v2-598j': ['8.0.0'] }],
  // `introduced: "1.0"` read leniently; 2.6.6 lies in both of the record's ranges, and 2.6.7
  // still lies in [1.0, 3.1.1): only 3.1.1 resolves it
  ['node-fetch', '0.9.0', { 'GHSA-r683-j2x4-v87g': ['3.1.1'] }],
  ['node-fetch', '1.0.0-beta', { 'GHSA-r683-j2x4-v87g': ['3.1.1'] }],
  ['node-fetch', '2.6.6', { 'GHSA-r683-j2x4-v87g': ['3.1.1'] }],
  ['node-fetch', '3.1.1', {}],
  // versions plus a one-release range per entry
  ['ua-parser-js', '0.7.29', { 'GHSA-pjwm-rvh2-c87w': ['0.7.30'] }],
  ['ua-parser-js', '0.7.30', {}],
  ['ua-parser-js', '0.8.0', { 'GHSA-pjwm-rvh2-c87w': ['0.8.1'] }],
  ['ua-parser-js', '1.0.0', { 'GHSA-pjwm-rvh2-c87w': ['1.0.1'] }],
  ['event-stream', '3.3.5', {}],
  ['event-stream', '3.3.6', { 'GHSA-mh6f-8j2x-4483': ['4.0.0'] }],
  ['flatmap-stream', '0.1.1', { 'GHSA-mh6f-8j2x-4483': [] }],
  // last_known_affected_version_range is a hint, not a range
  ['axios', '0.18.0', { 'GHSA-42xw-2xvc-qx8m': ['0.18.1'] }],
  ['axios', '0.18.1', {}],
  // synthetic `limit`: nothing at or above 2.0.0 is affected by the range
  ['limit-example', '0.9.0', { 'TEST-LIMIT-0001': ['1.2.0'] }],
  ['limit-example', '1.2.0', {}],
  ['limit-example', '1.5.0', { 'TEST-LIMIT-0001': [] }],
  ['limit-example', '2.0.0-rc.1', { 'TEST-LIMIT-0001': [] }],
  ['limit-example', '2.0.0', {}],
  ['evil-example', '1.0.0', { 'MAL-0000-0001': [] }],
];

const pypi: Case[] = [
  // versions[] only
  ['gratient', '0.5', { 'PYSEC-2024-1': [] }],
  ['gratient', '0.5.0', { 'PYSEC-2024-1': [] }], // PEP 440: the same version
  ['Gratient', '0.5', { 'PYSEC-2024-1': [] }], // PEP 503 names
  ['gratient', '0.6', {}],
  // unsorted events: introduced 2.4.0.0, fixed 2.4.1.0, introduced 2.3.0.0, fixed 2.3.3.0
  ['ansible', '2.2.9', {}],
  ['ansible', '2.3.0rc1', {}],
  ['ansible', '2.3.0', { 'PYSEC-2017-4': ['2.3.3.0'] }],
  ['ansible', '2.3.2.0', { 'PYSEC-2017-4': ['2.3.3.0'] }],
  ['ansible', '2.3.2.0+local.1', { 'PYSEC-2017-4': ['2.3.3.0'] }],
  ['ansible', '2.3.3', {}],
  ['ansible', '2.3.3.0+local', {}],
  ['ansible', '2.4.0.0', { 'PYSEC-2017-4': ['2.4.1.0'] }],
  ['ansible', '2.4.0.0.post1', { 'PYSEC-2017-4': ['2.4.1.0'] }],
  ['ansible', '2.4.1.0.dev1', { 'PYSEC-2017-4': ['2.4.1.0'] }],
  ['ansible', '2.4.1.0', {}],
  ['ansible', '1!2.3.2.0', {}], // the epoch puts it above every range
  // withdrawn, and its entry has neither ranges nor versions
  ['loguru', '0.5.3', {}],
  // GIT range skipped, ECOSYSTEM range counts
  ['python-dbusmock', '0.15', { 'PYSEC-2019-155': ['0.15.1'] }],
  ['python_dbusmock', '0.15', { 'PYSEC-2019-155': ['0.15.1'] }],
  ['python-dbusmock', '0.15.1', {}],
  // invalid `fixed` values are skipped: the range is left open above `introduced: 0`
  ['steam', '1.0.0', { 'PYSEC-2019-125': [] }],
  ['binderhub', '0.1.0', { 'PYSEC-2021-371': [] }],
  // last_affected
  ['py', '1.11.0', { 'PYSEC-2022-42969': [] }],
  ['py', '1.11.1', {}],
  ['py', '0.8.0-alpha2', { 'PYSEC-2022-42969': [] }],
  // post releases
  ['beaker', '1.6.5', { 'PYSEC-2012-1': ['1.6.5.post1'] }],
  ['beaker', '1.6.5.post1.dev0', { 'PYSEC-2012-1': ['1.6.5.post1'] }],
  ['beaker', '1.6.5.post1', {}],
  ['beaker', '1.6.5.post2', {}],
  // three pairs in one range, with pre-release bounds
  ['django', '1.8.13', { 'PYSEC-2016-2': ['1.8.14'] }],
  ['django', '1.8.14', {}],
  ['django', '1.9.7', { 'PYSEC-2016-2': ['1.9.8'] }],
  ['django', '1.10b1', { 'PYSEC-2016-2': ['1.10rc1'] }],
  ['django', '1.10rc1', {}],
  ['django', '1.10', {}],
  ['apache-atlas', '0.0.1', { 'PYSEC-2017-105': [] }],
  ['imagecodecs', '2023.7.10', { 'PYSEC-2023-174': ['2023.9.18'] }],
  ['imagecodecs', '2023.9.18', {}],
];

const crates: Case[] = [
  // several pairs in one range (RUSTSEC-2017-0002) and a second hyper record
  ['hyper', '0.9.3', { 'RUSTSEC-2016-0002': ['0.9.4'], 'RUSTSEC-2017-0002': ['0.9.18'] }],
  ['hyper', '0.9.4', { 'RUSTSEC-2017-0002': ['0.9.18'] }],
  ['hyper', '0.9.18', {}],
  ['hyper', '0.10.0-rc.1', {}],
  ['hyper', '0.10.0', { 'RUSTSEC-2017-0002': ['0.10.2'] }],
  ['hyper', '0.10.2', {}],
  ['hyper', '0.0.0-0', { 'RUSTSEC-2016-0002': ['0.9.4'], 'RUSTSEC-2017-0002': ['0.9.18'] }],
  ['spin', '0.4.0', {}], // withdrawn
  ['plutonium', '0.5.0', { 'RUSTSEC-2020-0011': [] }],
  ['openssl', '0.8.9', { 'RUSTSEC-2016-0001': ['0.9.0'] }],
  ['openssl', '0.9.0', {}],
  ['libusb', '0.3.0', { 'RUSTSEC-2016-0004': ['0.3.1-0'] }],
  ['libusb', '0.3.1-0', {}],
  ['libusb', '0.3.1-alpha', {}], // alphanumeric identifiers sort above numeric ones
  ['cap-primitives', '3.4.0', { 'RUSTSEC-2024-0445': ['3.4.1'] }],
  ['cap-primitives', '3.4.1', {}],
];

const rubygems: Case[] = [
  // prerelease bounds: [2.0.0.beta1, 2.0.0-alpha) and [2.0.0-alpha, 2.0.2); `-alpha` is `.pre.alpha`
  ['sinatra', '1.4.8', {}],
  ['sinatra', '2.0.0.alpha', {}],
  ['sinatra', '2.0.0.beta1', { 'GHSA-mq35-wqvf-r23c': ['2.0.2'] }],
  ['sinatra', '2.0.0.beta2', { 'GHSA-mq35-wqvf-r23c': ['2.0.2'] }],
  ['sinatra', '2.0.0-alpha', { 'GHSA-mq35-wqvf-r23c': ['2.0.2'] }],
  ['sinatra', '2.0.0.rc2', { 'GHSA-mq35-wqvf-r23c': ['2.0.2'] }],
  ['sinatra', '2.0.1', { 'GHSA-mq35-wqvf-r23c': ['2.0.2'] }],
  ['sinatra', '2.0.2', {}],
  // eleven gems, single-version ranges (introduced == last_affected)
  ['bitcoin_vanity', '4.3.2', {}],
  ['bitcoin_vanity', '4.3.3', { 'GHSA-333g-rpr4-7hxq': [] }],
  ['bitcoin_vanity', '4.3.3.0', { 'GHSA-333g-rpr4-7hxq': [] }],
  ['bitcoin_vanity', '4.3.4', {}],
  ['coin_base', '4.2.2', { 'GHSA-333g-rpr4-7hxq': [] }],
  ['coin_base', '4.2.3', {}],
  ['rest-client', '1.6.13', { 'GHSA-333g-rpr4-7hxq': ['1.6.14'] }],
  ['rest-client', '1.6.14', {}],
  ['cron_parser', '0.1.4', {}], // `versions: []`, no ranges
  ['airbrake-ruby', '4.2.3', { 'GHSA-2p82-v77v-mppr': [] }],
  ['airbrake-ruby', '4.2.4', {}],
  // three ranges in one entry, one starting at a computed `5.3`
  ['actionpack', '5.2.7', { 'GHSA-8xww-x3g3-6jcv': ['5.2.8'] }],
  ['actionpack', '5.2.8', {}],
  ['actionpack', '5.2.9', {}],
  ['actionpack', '6.0.0', { 'GHSA-8xww-x3g3-6jcv': ['6.1.7.1'] }],
  ['actionpack', '6.1.7.1.rc1', { 'GHSA-8xww-x3g3-6jcv': ['6.1.7.1'] }],
  ['actionpack', '6.1.7.1', {}],
  ['actionpack', '7.0.4', { 'GHSA-8xww-x3g3-6jcv': ['7.0.4.1'] }],
  ['actionpack', '7.0.4.1', {}],
  ['lodash-rails', '4.17.11', { 'GHSA-jf85-cpcp-j695': ['4.17.12'] }],
  ['lodash', '4.17.11', {}], // the npm content of GHSA-jf85-cpcp-j695 is not RubyGems'
  ['ckeditor', '4.0.0', {}],
  // inexact conversion: [1.16.0, 2.2.10) and [2.2.10, 2.2.18)
  ['bundler', '1.15.0', {}],
  // 2.2.10 opens the converted record's second range, so the data's first safe version is 2.2.18
  ['bundler', '2.2.9', { 'GHSA-fp4w-jxhp-m23p': ['2.2.18'] }],
  ['bundler', '2.2.10', { 'GHSA-fp4w-jxhp-m23p': ['2.2.18'] }],
  ['bundler', '2.2.18', {}],
];

const TABLE: [Ecosystem, Case[]][] = [
  ['npm', npm],
  ['PyPI', pypi],
  ['crates.io', crates],
  ['RubyGems', rubygems],
];

describe.each(TABLE)('%s', (ecosystem, cases) => {
  it.each(cases)('%s@%s', (name, version, expected) => {
    const got = evaluate(ecosystem, name, version);
    expect(got.ids).toEqual(Object.keys(expected).sort());
    expect(got.fixes).toEqual(expected);
  });
});

it('covers at least 48 cases over the four ecosystems', () => {
  expect(TABLE.reduce((n, [, cases]) => n + cases.length, 0)).toBeGreaterThanOrEqual(48);
  expect(RECORDS.npm.length + RECORDS.PyPI.length).toBe(21 + 11);
  expect(RECORDS['crates.io'].length + RECORDS.RubyGems.length).toBe(7 + 7);
});
