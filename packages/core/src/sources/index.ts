export * from './native-source.js';
export * from './run-sources.js';
export * from './types.js';
