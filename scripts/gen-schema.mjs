// Regenerates packages/core/schema/config.schema.json from the config schema (pnpm gen:schema;
// builds first, since Node 20 cannot run TypeScript directly).
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../packages/core/dist/policy/config.js';

const file = new URL('../packages/core/schema/config.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
