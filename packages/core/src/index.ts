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
export { FAIL_ON, decideVerdict, type FailOn } from './policy/verdict.js';
export {
  configSchema,
  configJsonSchema,
  validateConfig,
  DEFAULT_CONFIG,
  type Config,
  type ConfigInput,
  type Ignore,
} from './policy/config.js';
export {
  loadConfig,
  findConfigFile,
  CONFIG_FILE_NAMES,
  type LoadedConfig,
} from './policy/load-config.js';
export { applyIgnores } from './policy/ignores.js';
export { STARTER_CONFIG, STARTER_CONFIG_FILE } from './policy/starter-config.js';
export { renderJson } from './report/json.js';
export { renderTable, type TableOptions } from './report/table.js';
export { renderSarif, type SarifOptions } from './report/sarif.js';
export { renderMarkdown, MARKDOWN_LIMIT, type MarkdownOptions } from './report/markdown.js';
export { scan, buildReport, fingerprintOf, type ScanOptions, type ScanLogger } from './scan.js';
export {
  openOsvStore,
  importOsv,
  describeAge,
  resolveDatabaseDir,
  defaultDatabaseDir,
  OSV_EXPORT_BASE_URL,
  type OsvStore,
  type StoreStatus,
  type EcosystemStatus,
  type ImportOptions,
  type ImportSummary,
} from './osv/store/index.js';
export {
  checkLicenses,
  LICENSE_VERDICTS,
  LICENSE_RULES,
  type LicenseCheckOptions,
  type LicenseCheckResult,
  type LicenseEntry,
  type LicenseVerdict,
} from './checks/license.js';
export {
  LICENSE_SOURCES,
  DEFAULT_REGISTRY_URLS,
  type LicenseLookup,
  type LicenseLookupOptions,
  type LicenseLookupResult,
  type LicenseSource,
  type RegistryUrls,
} from './checks/license-lookup.js';
export { LICENSE_LOOKUPS } from './checks/license-lookups.js';
