// One run of supplyaudit's inventory over the generated monorepo (built core from packages/core/dist).
import { inventory } from '../../packages/core/dist/index.js';
import { MONOREPO } from './generate.mjs';

const start = performance.now();
const result = await inventory(MONOREPO);
const ms = performance.now() - start;
const packages = result.projects.reduce((n, p) => n + p.packages.length, 0);
const errors = result.projects.flatMap((p) => p.diagnostics).filter((d) => d.level === 'error');
console.log(
  JSON.stringify({
    ms,
    rssMB: process.resourceUsage().maxRSS / 1024,
    packages,
    projects: result.projects.length,
    errors: errors.length,
  }),
);
