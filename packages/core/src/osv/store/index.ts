export {
  openOsvStore,
  describeAge,
  type OsvStore,
  type StoreStatus,
  type EcosystemStatus,
} from './store.js';
export {
  importOsv,
  OSV_EXPORT_BASE_URL,
  IMPORT_STEPS,
  type ImportOptions,
  type ImportSummary,
  type ImportStep,
} from './import.js';
export { resolveDatabaseDir, defaultDatabaseDir, type DatabaseLocationInput } from './location.js';
export { normalizePackageName } from './names.js';
export { STORE_SCHEMA_VERSION, type EcosystemManifest, type SourceFormat } from './layout.js';
