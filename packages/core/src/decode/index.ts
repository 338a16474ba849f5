export * from './text.js';
export * from './json.js';
export * from './yaml.js';
export * from './toml.js';
export { createParseMemo, withParseMemo } from './memo.js';
