// inventory(path): discover the projects under a folder and parse each lockfile into Packages.
// A file that cannot be read or parsed costs its own project only; the library never prints.
import { DEFAULT_MAX_FILE_BYTES } from './decode/index.js';
import {
  discover,
  nodeFs,
  readFoundFile,
  createReadRelated,
  type DiscoverFs,
} from './discover/index.js';
import { ECOSYSTEM_PLUGINS } from './ecosystems/index.js';
import type {
  EcosystemPlugin,
  LockfileParser,
  ParseContext,
  ParseResult,
} from './ecosystems/types.js';
import { SupplyAuditError, describeError } from './errors.js';
import type { Diagnostic, InventoriedProject, Inventory, Package, Project } from './model/index.js';

export interface InventoryOptions {
  /** extra folder or file names (`fixtures`) or globs relative to the root (`examples/**`) to skip */
  readonly exclude?: readonly string[];
  /** largest manifest or lockfile read, in bytes (default 64 MiB) */
  readonly maxFileBytes?: number;
  readonly signal?: AbortSignal;
  /** files read at once (default 8) */
  readonly concurrency?: number;
  /** for tests: the filesystem to walk */
  readonly fs?: DiscoverFs;
  /** for tests: the ecosystem plugins to use */
  readonly plugins?: readonly EcosystemPlugin[];
}

type Limit = <T>(task: () => Promise<T>) => Promise<T>;

/** At most `n` tasks at once; a finishing task hands its slot straight to the next waiter. */
export function createLimit(n: number): Limit {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active < n) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next === undefined) active--;
      else next();
    }
  };
}

/** A SupplyAuditError as a Diagnostic, without repeating the `file:line:` its message starts with. */
export function diagnosticFromError(error: SupplyAuditError, fallbackFile: string): Diagnostic {
  const file = error.file ?? fallbackFile;
  const prefixes = [
    ...(error.line === undefined ? [] : [`${file}:${String(error.line)}: `]),
    `${file}: `,
  ];
  const prefix = prefixes.find((p) => error.message.startsWith(p));
  return {
    level: 'error',
    file,
    ...(error.line === undefined ? {} : { line: error.line }),
    message: prefix === undefined ? error.message : error.message.slice(prefix.length),
    code: error.code,
  };
}

/**
 * The last parses, for a later inventory in the same process (a second scan, watch modes): a
 * parse is a pure function of the parser, the file's name and text, its manifest, and the related
 * files it read, so an entry answers only when all of these are identical (the related files are
 * read again and compared). Bounded in entries and in text held.
 */
interface CachedParse {
  readonly parser: LockfileParser;
  readonly file: string;
  readonly text: string;
  readonly manifestFile: string | undefined;
  readonly manifestText: string | undefined;
  readonly related: ReadonlyMap<string, { file: string; text: string } | undefined>;
  readonly result: ParseResult;
}
const MAX_CACHED_PARSES = 32;
const MAX_CACHED_TEXT = 32 * 1024 * 1024;
let cachedParses: CachedParse[] = [];

type ReadRelated = NonNullable<ParseContext['readRelated']>;

function sameRelated(related: CachedParse['related'], readRelated: ReadRelated): boolean {
  for (const [path, was] of related) {
    const now = readRelated(path);
    if (now?.file !== was?.file || now?.text !== was?.text) return false;
  }
  return true;
}

/** `parser.parse(text, ctx)`, or the result of an identical earlier parse. */
function parseCached(
  parser: LockfileParser,
  text: string,
  ctx: ParseContext & { readonly readRelated: ReadRelated },
): ParseResult {
  for (const c of cachedParses) {
    if (
      c.parser === parser &&
      c.file === ctx.file &&
      c.manifestFile === ctx.manifestFile &&
      c.text === text &&
      c.manifestText === ctx.manifestText &&
      sameRelated(c.related, ctx.readRelated)
    ) {
      return c.result;
    }
  }
  const related = new Map<string, { file: string; text: string } | undefined>();
  const result = parser.parse(text, {
    ...ctx,
    readRelated: (path) => {
      const found = ctx.readRelated(path);
      related.set(path, found);
      return found;
    },
  });
  const held = (c: CachedParse): number =>
    c.text.length +
    (c.manifestText?.length ?? 0) +
    [...c.related.values()].reduce((n, r) => n + (r?.text.length ?? 0), 0);
  const entry: CachedParse = {
    parser,
    file: ctx.file,
    text,
    manifestFile: ctx.manifestFile,
    manifestText: ctx.manifestText,
    related,
    result,
  };
  if (held(entry) <= MAX_CACHED_TEXT) {
    const kept = [entry, ...cachedParses.filter((c) => c.parser !== parser || c.file !== ctx.file)];
    let total = 0;
    cachedParses = kept.filter((c, i) => {
      total += held(c);
      return i < MAX_CACHED_PARSES && total <= MAX_CACHED_TEXT;
    });
  }
  return result;
}

function findParser(
  plugins: readonly EcosystemPlugin[],
  id: string | undefined,
): LockfileParser | undefined {
  if (id === undefined) return undefined;
  for (const plugin of plugins)
    for (const parser of plugin.lockfiles) if (parser.id === id) return parser;
  return undefined;
}

export async function inventory(path: string, options: InventoryOptions = {}): Promise<Inventory> {
  const fs = options.fs ?? nodeFs;
  const plugins = options.plugins ?? ECOSYSTEM_PLUGINS;
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const signal = options.signal;
  const discovery = await discover(path, {
    fs,
    plugins,
    maxFileBytes,
    ...(options.exclude === undefined ? {} : { exclude: options.exclude }),
    ...(signal === undefined ? {} : { signal }),
  });
  const root = discovery.root;

  // Refusals found by the walk belong to the project whose file it is.
  const projectFiles = new Set(
    discovery.projects.flatMap((p) => [p.manifest, p.lockfile].filter((f) => f !== undefined)),
  );
  const refusals = new Map<string, Diagnostic>();
  const general: Diagnostic[] = [];
  for (const d of discovery.diagnostics) {
    if (d.level === 'error' && projectFiles.has(d.file) && !refusals.has(d.file))
      refusals.set(d.file, d);
    else general.push(d);
  }

  const limit = createLimit(Math.max(1, options.concurrency ?? 8));
  const read = async (file: string): Promise<{ text: string } | { error: Diagnostic }> => {
    const refused = refusals.get(file);
    if (refused !== undefined) return { error: refused };
    signal?.throwIfAborted();
    try {
      return { text: await limit(() => readFoundFile(fs, root, file, maxFileBytes)) };
    } catch (error) {
      if (error instanceof SupplyAuditError) return { error: diagnosticFromError(error, file) };
      throw error;
    }
  };

  const inventoryProject = async (project: Project): Promise<InventoriedProject> => {
    const diagnostics: Diagnostic[] = [];
    const done = (packages: readonly Package[], parsed: boolean): InventoriedProject => ({
      ...project,
      packages,
      diagnostics,
      parsed,
    });
    const target =
      project.lockfile ?? (project.parser === undefined ? undefined : project.manifest);
    let manifestText: string | undefined;
    if (
      project.manifest !== undefined &&
      (target !== undefined || refusals.has(project.manifest))
    ) {
      const manifest = await read(project.manifest);
      if ('text' in manifest) manifestText = manifest.text;
      else diagnostics.push(manifest.error);
    }
    if (target === undefined) {
      return done(
        [],
        diagnostics.every((d) => d.level !== 'error'),
      );
    }
    const parser = findParser(plugins, project.parser);
    if (parser === undefined) {
      diagnostics.push({
        level: 'error',
        file: target,
        message: 'no parser for this file in this version of supplyaudit',
        code: 'PARSE_FAILED',
      });
      return done([], false);
    }
    let text: string;
    if (target === project.manifest) {
      if (manifestText === undefined) return done([], false);
      text = manifestText;
    } else {
      const lockfile = await read(target);
      if ('error' in lockfile) {
        diagnostics.push(lockfile.error);
        return done([], false);
      }
      text = lockfile.text;
    }
    const ctx = {
      file: target,
      ...(manifestText === undefined ||
      project.manifest === undefined ||
      target === project.manifest
        ? {}
        : { manifestText, manifestFile: project.manifest }),
      readRelated: createReadRelated(root, target, maxFileBytes),
    };
    try {
      const result = parseCached(parser, text, ctx);
      diagnostics.push(...result.diagnostics);
      return done(result.packages, true);
    } catch (error) {
      if (error instanceof SupplyAuditError) {
        diagnostics.push(diagnosticFromError(error, target));
      } else {
        // A bug in one parser must not cost the other projects; the message says it is ours.
        diagnostics.push({
          level: 'error',
          file: target,
          message: `internal error in parser ${parser.id}: ${describeError(error)} (please report it)`,
          code: 'INTERNAL',
        });
      }
      return done([], false);
    }
  };

  const projects = await Promise.all(discovery.projects.map(inventoryProject));
  signal?.throwIfAborted();
  return { root, projects, diagnostics: general, policyFiles: discovery.policyFiles };
}
