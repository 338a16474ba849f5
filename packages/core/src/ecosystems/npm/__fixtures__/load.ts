// Reading the fixtures beside the npm parsers, for their tests.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Package } from '../../../model/index.js';
import type { ParseContext } from '../../types.js';

const fixtures = dirname(fileURLToPath(import.meta.url));

export function fixture(relative: string): string {
  return readFileSync(join(fixtures, relative), 'utf8');
}

/** A ParseContext for `<dir>/<lockfile>` with its package.json and related workspace files. */
export function contextFor(dir: string, lockfile: string): ParseContext {
  return {
    file: `${dir}/${lockfile}`,
    manifestText: fixture(`${dir}/package.json`),
    manifestFile: `${dir}/package.json`,
    readRelated: (relative) => {
      try {
        return { file: `${dir}/${relative}`, text: fixture(`${dir}/${relative}`) };
      } catch {
        return undefined;
      }
    },
  };
}

export function ids(packages: readonly Package[]): string[] {
  return packages.map((p) => `${p.name}@${p.version ?? ''}`).sort();
}

export function find(packages: readonly Package[], name: string, version: string): Package {
  const found = packages.find((p) => p.name === name && p.version === version);
  if (found === undefined) throw new Error(`${name}@${version} not found`);
  return found;
}

/** The 30 packages of the small app every npm-family fixture installs. */
export const SMALL_APP = [
  '@isaacs/cliui@8.0.2',
  'ansi-regex@5.0.1',
  'ansi-regex@5.0.1',
  'ansi-regex@5.0.1',
  'ansi-regex@6.6.0',
  'ansi-styles@4.3.0',
  'ansi-styles@6.2.3',
  'color-convert@2.0.1',
  'color-name@1.1.4',
  'eastasianwidth@0.2.0',
  'emoji-regex@8.0.0',
  'emoji-regex@8.0.0',
  'emoji-regex@9.2.2',
  'is-fullwidth-code-point@3.0.0',
  'is-number@6.0.0',
  'is-number@7.0.0',
  'is-odd@3.0.1',
  'lodash@4.17.15',
  'minimist@0.0.8',
  'minimist@1.2.8',
  'mkdirp@0.5.1',
  'string-width@4.2.3',
  'string-width@4.2.3',
  'string-width@5.1.2',
  'strip-ansi@6.0.1',
  'strip-ansi@6.0.1',
  'strip-ansi@6.0.1',
  'strip-ansi@7.2.0',
  'wrap-ansi@7.0.0',
  'wrap-ansi@8.1.0',
];
