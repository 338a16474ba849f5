// Where the cases load core from: packages/core/dist, or SA_CORE_DIST (an absolute path to another
// build's dist folder, e.g. a copy of the previous build, for before/after comparisons).
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const DIST = process.env.SA_CORE_DIST ?? join(here, '..', '..', 'packages', 'core', 'dist');

export function coreDist(path) {
  return pathToFileURL(join(DIST, path)).href;
}
