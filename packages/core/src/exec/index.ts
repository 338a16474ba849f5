export * from './env.js';
export * from './find-tool.js';
export * from './paths.js';
export * from './redact.js';
export * from './run-command.js';
export * from './validate.js';
