export * from './text.js';
export * from './json.js';
export * from './yaml.js';
export * from './toml.js';
export { withParseMemo } from './memo.js';
