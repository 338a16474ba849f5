// The public API of @supplyaudit/core, and nothing else.
export * from './model/index.js';
export {
  SupplyAuditError,
  InternalError,
  ERROR_CODES,
  EXIT_CODES,
  exitCodeFor,
  describeError,
  isSupplyAuditError,
  type ErrorCode,
} from './errors.js';
export { ECOSYSTEM_PLUGINS } from './ecosystems/index.js';
export type {
  EcosystemPlugin,
  LockfileParser,
  ParseContext,
  ParseResult,
  VersionScheme,
} from './ecosystems/index.js';
export { VERSION } from './version.js';
export { inventory, type InventoryOptions } from './inventory.js';
export {
  discover,
  SKIPPED_DIRS,
  type DiscoverOptions,
  type Discovery,
  type DiscoverFs,
  type DirEntry,
  type FileStats,
} from './discover/index.js';
export { DEFAULT_MAX_FILE_BYTES } from './decode/index.js';
