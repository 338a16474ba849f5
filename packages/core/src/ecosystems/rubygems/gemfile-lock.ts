// Gemfile.lock and gems.locked, read line by line as Bundler's own LockfileParser does
// (https://github.com/rubygems/rubygems/blob/v3.5.6/bundler/lib/bundler/lockfile_parser.rb):
// source sections (GIT, PATH, GEM, PLUGIN SOURCE) with 4-space specs and 6-space dependency
// lines, PLATFORMS, DEPENDENCIES (`name!` pins a GIT/PATH source), CHECKSUMS (Bundler 2.5+),
// RUBY VERSION, BUNDLED WITH. Only indexOf and slices: linear on any line length.
import { SupplyAuditError } from '../../errors.js';
import {
  formatPurl,
  type Diagnostic,
  type Package,
  type PackageSource,
} from '../../model/index.js';
import {
  walkDependencyGraph,
  type GraphEdge,
  type GraphNode,
  type GraphRoot,
} from '../dependency-graph.js';
import type { LockfileParser, ParseContext, ParseResult } from '../types.js';
import { readDevOnlyGems } from './gemfile-groups.js';

const SOURCE_SECTIONS = ['GIT', 'GEM', 'PATH', 'PLUGIN SOURCE'] as const;
type SourceSection = (typeof SOURCE_SECTIONS)[number];
const OTHER_SECTIONS = [
  'DEPENDENCIES',
  'PLATFORMS',
  'CHECKSUMS',
  'RUBY VERSION',
  'BUNDLED WITH',
] as const;
type OtherSection = (typeof OTHER_SECTIONS)[number];

interface Source {
  readonly kind: SourceSection;
  /** `remote:`, `revision:`, `branch:`, ... as written; the first value of a repeated key */
  readonly options: Map<string, string>;
}

interface Spec {
  readonly key: string;
  readonly name: string;
  readonly version: string;
  readonly platform: string | undefined;
  /** `1.13.0-x86_64-linux`, as written between the parentheses */
  readonly fullVersion: string;
  readonly source: Source;
  readonly line: number;
  readonly dependencies: string[];
}

const CONFLICT_MARKERS = ['<<<<<<<', '=======', '>>>>>>>', '|||||||'] as const;

export const gemfileLockParser = {
  id: 'rubygems/gemfile-lock',
  version: 1,
  ecosystem: 'RubyGems',
  matches: (fileName: string) => fileName === 'Gemfile.lock' || fileName === 'gems.locked',
  parse: parseGemfileLock,
} satisfies LockfileParser;

export function parseGemfileLock(text: string, ctx: ParseContext): ParseResult {
  const { file } = ctx;
  const diagnostics: Diagnostic[] = [];
  const warn = (line: number, message: string): void => {
    diagnostics.push({ level: 'warning', file, line, message, code: 'PARSE_FAILED' });
  };

  const specs: Spec[] = [];
  const specsByName = new Map<string, Spec[]>();
  const seen = new Set<string>();
  const directNames: string[] = [];
  const checksums = new Map<string, string>();
  let sectionCount = 0;
  let section: SourceSection | OtherSection | undefined;
  let source: Source | undefined;
  let inSpecs = false;
  let current: Spec | undefined;

  let lineNo = 0;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;

    if (CONFLICT_MARKERS.some((m) => line.startsWith(m))) {
      throw new SupplyAuditError(
        'PARSE_FAILED',
        `${file}:${lineNo}: merge conflict marker; resolve the conflict and run bundle install`,
        { file, line: lineNo },
      );
    }
    const indent = countSpaces(line);
    if (indent === 0) {
      // A section header; unknown sections are skipped, as Bundler does.
      section = sectionOf(line);
      if (section !== undefined) sectionCount++;
      source = isSourceSection(section) ? { kind: section, options: new Map() } : undefined;
      inSpecs = false;
      current = undefined;
      continue;
    }
    if (section === undefined) continue;
    const body = line.slice(indent);

    if (source !== undefined) {
      if (indent === 2) {
        current = undefined;
        if (body === 'specs:') {
          inSpecs = true;
        } else {
          const colon = body.indexOf(': ');
          if (colon > 0 && !source.options.has(body.slice(0, colon))) {
            source.options.set(body.slice(0, colon), body.slice(colon + 2));
          }
        }
      } else if (indent === 4 && inSpecs) {
        current = undefined;
        const parsed = parseNameVersion(body);
        if (parsed?.version === undefined || parsed.bang) {
          warn(lineNo, `malformed gem entry "${body.slice(0, 200)}"; skipped`);
          continue;
        }
        const fullVersion = parsed.version;
        const identity = `${parsed.name} (${fullVersion})`;
        if (seen.has(identity)) {
          warn(lineNo, `duplicate gem entry "${identity.slice(0, 200)}"; skipped`);
          continue;
        }
        seen.add(identity);
        // Bundler splits at the first `-`: `1.13.0-x86_64-linux` is version 1.13.0 on x86_64-linux.
        const dash = fullVersion.indexOf('-');
        const version = dash === -1 ? fullVersion : fullVersion.slice(0, dash);
        const platform = dash === -1 ? undefined : fullVersion.slice(dash + 1);
        if (version === '' || platform === '') {
          warn(lineNo, `malformed gem entry "${body.slice(0, 200)}"; skipped`);
          continue;
        }
        current = {
          key: String(specs.length),
          name: parsed.name,
          version,
          platform,
          fullVersion,
          source,
          line: lineNo,
          dependencies: [],
        };
        specs.push(current);
        const same = specsByName.get(parsed.name);
        if (same === undefined) specsByName.set(parsed.name, [current]);
        else same.push(current);
      } else if (indent === 6 && inSpecs) {
        const parsed = parseNameVersion(body);
        if (parsed === undefined)
          warn(lineNo, `malformed dependency "${body.slice(0, 200)}"; ignored`);
        else current?.dependencies.push(parsed.name);
      } else {
        warn(lineNo, `unexpected indentation of ${indent} spaces in ${source.kind}; line ignored`);
      }
      continue;
    }

    if (section === 'DEPENDENCIES') {
      const parsed = indent === 2 ? parseNameVersion(body) : undefined;
      if (parsed === undefined)
        warn(lineNo, `malformed dependency "${body.slice(0, 200)}"; ignored`);
      else directNames.push(parsed.name);
    } else if (section === 'CHECKSUMS') {
      // `name (version[-platform]) sha256=hex[,algo=value]`; path and git gems have none.
      const close = body.indexOf(') ');
      if (indent !== 2 || close === -1) continue;
      const identity = body.slice(0, close + 1);
      const first =
        body
          .slice(close + 2)
          .split(',', 1)[0]
          ?.trim() ?? '';
      const eq = first.indexOf('=');
      if (eq > 0 && eq < first.length - 1) {
        checksums.set(identity, `${first.slice(0, eq)}:${first.slice(eq + 1)}`);
      } else {
        warn(lineNo, `malformed checksum "${body.slice(0, 200)}"; ignored`);
      }
    }
  }

  if (sectionCount === 0) {
    throw new SupplyAuditError(
      'PARSE_FAILED',
      `${file}:1: no GEM, GIT, PATH or DEPENDENCIES section (not a Gemfile.lock?)`,
      { file, line: 1 },
    );
  }

  const devOnly = readDevOnlyGems(gemfileText(ctx) ?? '');
  const nodes = new Map<string, GraphNode>();
  for (const spec of specs) {
    const edges: GraphEdge[] = [];
    for (const dep of spec.dependencies) {
      // A dependency on a gem with platform variants reaches each variant the lockfile lists.
      for (const target of specsByName.get(dep) ?? []) edges.push({ to: target.key, kind: 'prod' });
    }
    // The platform stays in the label so that variants give distinct paths.
    nodes.set(spec.key, { label: `${spec.name}@${spec.fullVersion}`, edges });
  }
  const rootEdges: GraphEdge[] = [];
  for (const name of directNames) {
    for (const target of specsByName.get(name) ?? []) {
      rootEdges.push({ to: target.key, kind: devOnly.has(name) ? 'dev' : 'prod' });
    }
  }
  const root: GraphRoot = { label: ctx.manifestFile ?? manifestNameFor(file), edges: rootEdges };
  const facts = walkDependencyGraph([root], nodes);

  const packages: Package[] = specs.map((spec) => {
    const fact = facts.get(spec.key);
    const integrity = checksums.get(`${spec.name} (${spec.fullVersion})`);
    return {
      ecosystem: 'RubyGems',
      name: spec.name,
      version: spec.version,
      purl: formatPurl(
        'RubyGems',
        spec.name,
        spec.version,
        spec.platform === undefined ? undefined : { platform: spec.platform },
      ),
      direct: fact?.direct ?? false,
      dev: fact?.dev ?? false,
      optional: fact?.optional ?? false,
      ...(spec.source.kind === 'PATH' ? { local: true } : {}),
      paths: fact?.paths ?? [],
      location: { file, line: spec.line },
      source: describeSource(spec.source),
      ...(integrity === undefined ? {} : { integrity }),
      ...(spec.platform === undefined ? {} : { platform: spec.platform }),
    };
  });
  return { packages, diagnostics };
}

function countSpaces(line: string): number {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === 0x20) i++;
  return i;
}

function sectionOf(line: string): SourceSection | OtherSection | undefined {
  const header = line.trimEnd();
  return SOURCE_SECTIONS.find((s) => s === header) ?? OTHER_SECTIONS.find((s) => s === header);
}

function isSourceSection(section: string | undefined): section is SourceSection {
  return (SOURCE_SECTIONS as readonly (string | undefined)[]).includes(section);
}

/** `name`, `name (x)`, `name!`, `name (x)!`; undefined when the shape is wrong. */
function parseNameVersion(
  body: string,
): { name: string; version: string | undefined; bang: boolean } | undefined {
  let text = body.trimEnd();
  const bang = text.endsWith('!');
  if (bang) text = text.slice(0, -1);
  const open = text.indexOf(' (');
  if (open === -1) {
    return isGemName(text) ? { name: text, version: undefined, bang } : undefined;
  }
  const name = text.slice(0, open);
  if (!isGemName(name) || !text.endsWith(')')) return undefined;
  return { name, version: text.slice(open + 2, -1), bang };
}

/** Loose on purpose (names are data): only rejects what cannot be a name in this format. */
function isGemName(name: string): boolean {
  return name !== '' && !name.includes(' ') && !name.includes('(') && !name.includes(')');
}

function describeSource(source: Source): PackageSource {
  const remote = source.options.get('remote');
  switch (source.kind) {
    case 'GEM':
      return remote === undefined ? { type: 'registry' } : { type: 'registry', url: remote };
    case 'GIT': {
      const revision = source.options.get('revision');
      return {
        type: 'git',
        ...(remote === undefined ? {} : { url: remote }),
        ...(revision === undefined ? {} : { commit: revision }),
      };
    }
    case 'PATH':
      return remote === undefined ? { type: 'path' } : { type: 'path', path: remote };
    case 'PLUGIN SOURCE':
      return remote === undefined ? { type: 'url' } : { type: 'url', url: remote };
  }
}

/** Gemfile.lock goes with Gemfile, gems.locked with gems.rb. */
function manifestNameFor(file: string): string {
  const slash = file.lastIndexOf('/');
  const dir = slash === -1 ? '' : file.slice(0, slash + 1);
  return `${dir}${file.endsWith('gems.locked') ? 'gems.rb' : 'Gemfile'}`;
}

function gemfileText(ctx: ParseContext): string | undefined {
  if (ctx.manifestText !== undefined) return ctx.manifestText;
  const name = manifestNameFor(ctx.file);
  return ctx.readRelated?.(name.slice(name.lastIndexOf('/') + 1))?.text;
}
