// The floor: read and parse the same files with nothing else (JSON.parse, YAML, TOML, line split).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parseYamlFloor } from './yaml-floor.mjs';
import { MONOREPO } from './generate.mjs';

const files = {
  json: ['apps/web/package-lock.json', 'apps/web/package.json', 'apps/ui/package.json'],
  yaml: ['apps/ui/pnpm-lock.yaml'],
  toml: [
    'services/api/poetry.lock',
    'services/api/pyproject.toml',
    'crates/engine/Cargo.lock',
    'crates/engine/Cargo.toml',
  ],
  lines: ['ruby/Gemfile.lock', 'ruby/Gemfile'],
};
const start = performance.now();
let keys = 0;
for (const f of files.json)
  keys += Object.keys(JSON.parse(readFileSync(join(MONOREPO, f), 'utf8'))).length;
for (const f of files.yaml)
  keys += Object.keys(parseYamlFloor(readFileSync(join(MONOREPO, f), 'utf8'))).length;
for (const f of files.toml)
  keys += Object.keys(parseToml(readFileSync(join(MONOREPO, f), 'utf8'))).length;
for (const f of files.lines) keys += readFileSync(join(MONOREPO, f), 'utf8').split('\n').length;
const ms = performance.now() - start;
console.log(JSON.stringify({ ms, rssMB: process.resourceUsage().maxRSS / 1024, keys }));
