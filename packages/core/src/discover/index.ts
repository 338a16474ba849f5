export { discover, resolveRoot, type DiscoverOptions, type Discovery } from './discover.js';
export { nodeFs, type DiscoverFs, type DirEntry, type FileStats } from './fs.js';
export { SKIPPED_DIRS } from './file-kinds.js';
export { readFoundFile, createReadRelated } from './read.js';
