// The registry: adding an ecosystem is a folder and a line here (a test holds it so).
import { cargoPlugin } from './cargo/index.js';
import { npmPlugin } from './npm/index.js';
import { pypiPlugin } from './pypi/index.js';
import { rubygemsPlugin } from './rubygems/index.js';
import type { EcosystemPlugin } from './types.js';

export const ECOSYSTEM_PLUGINS: readonly EcosystemPlugin[] = [
  npmPlugin,
  pypiPlugin,
  cargoPlugin,
  rubygemsPlugin,
];

export type {
  EcosystemPlugin,
  LockfileParser,
  ParseContext,
  ParseResult,
  VersionScheme,
} from './types.js';
