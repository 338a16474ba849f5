// YAML from untrusted files (pnpm-lock.yaml, yarn berry lockfiles): js-yaml with the failsafe
// schema plus null and booleans (numbers stay text: `version: 1.10`, a commit `0123456`), no merge
// keys, unknown tags rejected, no anchors or aliases, bounded nesting.
// Why this library and these options: docs/adr/0001-yaml-parser.md.
import { createRequire } from 'node:module';
import type * as JsYaml from 'js-yaml';
import { SupplyAuditError } from '../errors.js';
import type { JsonValue } from './json.js';
import { createParseMemo } from './memo.js';
import { lineAt } from './text.js';

/**
 * YAML 1.2 failsafe (strings, sequences, mappings) plus the core schema's null and booleans.
 * Numbers are left as written: lockfiles hold versions and hashes, which must not become floats.
 */
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const BOOLEANS = new Map([
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
]);

// js-yaml (its CommonJS build) is loaded on the first YAML file: a scan of npm, Python, Rust and
// Ruby lockfiles other than pnpm's and yarn berry's never needs it.
const require = createRequire(import.meta.url);
let loaded:
  | {
      readonly yaml: typeof JsYaml;
      readonly lockfileSchema: JsYaml.Schema;
      /** For configuration files (not lockfiles): YAML 1.2 core (null, booleans, ints, floats). */
      readonly configSchema: JsYaml.Schema;
    }
  | undefined;

function jsYaml(): NonNullable<typeof loaded> {
  if (loaded !== undefined) return loaded;
  const yaml = require('js-yaml') as typeof JsYaml;
  const lockfileSchema = yaml.FAILSAFE_SCHEMA.extend({
    implicit: [
      new yaml.Type('tag:yaml.org,2002:null', {
        kind: 'scalar',
        resolve: (data: unknown) => data === null || (typeof data === 'string' && NULLS.has(data)),
        construct: () => null,
      }),
      new yaml.Type('tag:yaml.org,2002:bool', {
        kind: 'scalar',
        resolve: (data: unknown) => typeof data === 'string' && BOOLEANS.has(data),
        construct: (data: unknown) => typeof data === 'string' && BOOLEANS.get(data) === true,
      }),
    ],
  });
  loaded = { yaml, lockfileSchema, configSchema: yaml.CORE_SCHEMA };
  return loaded;
}

export interface ParseYamlOptions {
  /** read `7` and `1.5` as numbers (config files); lockfiles keep them as text */
  readonly numbers?: boolean;
}

/** Deeper than any lockfile (pnpm nests 5 levels); far below the stack limit. */
export const MAX_YAML_DEPTH = 256;

/** What the loader's listener needs of its state: js-yaml's `State` is not part of its types. */
interface LoaderState {
  readonly position: number;
  readonly anchor: string | null;
}

function isLoaderState(value: unknown): value is LoaderState {
  return typeof value === 'object' && value !== null && 'position' in value && 'anchor' in value;
}

/** Raised from the listener; carries an offset so the caller can name the line. */
class YamlGuardError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const lockfileMemo = createParseMemo<JsonValue>();

/**
 * Parse YAML text into plain data (objects, arrays, strings, booleans, null; numbers stay
 * strings), or throw
 * PARSE_FAILED with `file:line: reason`. `__proto__`, `constructor` and `<<` keys stay data;
 * anchors, aliases, custom tags, duplicate keys and nesting deeper than MAX_YAML_DEPTH are errors.
 */
export function parseYaml(text: string, file: string, options: ParseYamlOptions = {}): JsonValue {
  return options.numbers === true
    ? parseYamlText(text, file, options)
    : lockfileMemo(text, () => parseYamlText(text, file, options));
}

function parseYamlText(text: string, file: string, options: ParseYamlOptions): JsonValue {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // where each open node starts: an anchor is reported at its node, not where the node ends
  const opened: number[] = [];
  const listener = (event: 'open' | 'close', state: unknown): void => {
    if (!isLoaderState(state)) return;
    if (event === 'open') {
      opened.push(state.position);
      if (opened.length > MAX_YAML_DEPTH) {
        throw new YamlGuardError(
          `nesting deeper than ${String(MAX_YAML_DEPTH)} levels`,
          state.position,
        );
      }
      return;
    }
    const start = opened.pop() ?? state.position;
    // Lockfiles never use anchors; refusing them rules out alias bombs and shared nodes.
    if (state.anchor !== null) {
      throw new YamlGuardError(
        `YAML anchor &${state.anchor.slice(0, 40)} is not allowed in a lockfile`,
        start,
      );
    }
  };
  let value: unknown;
  try {
    const { yaml, lockfileSchema, configSchema } = jsYaml();
    value = yaml.load(body, {
      schema: options.numbers === true ? configSchema : lockfileSchema,
      filename: file,
      listener,
    });
  } catch (cause) {
    throw toParseError(cause, body, file);
  }
  // An empty document is null, as YAML 1.2 says; js-yaml returns undefined for it.
  if (value === undefined) return null;
  if (!isPlainData(value)) {
    throw new SupplyAuditError(
      'PARSE_FAILED',
      `${file}:1: YAML produced a value that is not data`,
      {
        file,
        line: 1,
      },
    );
  }
  return value;
}

function toParseError(cause: unknown, body: string, file: string): SupplyAuditError {
  let line: number;
  let reason: string;
  if (cause instanceof YamlGuardError) {
    line = lineAt(body, cause.offset);
    reason = cause.message;
  } else if (cause instanceof jsYaml().yaml.YAMLException) {
    line = cause.mark.line + 1;
    reason = `invalid YAML (${cause.reason})`;
  } else if (cause instanceof RangeError) {
    // The depth guard makes this unreachable in practice; keep the message honest if not.
    line = 1;
    reason = 'YAML nesting exhausted the stack';
  } else {
    throw cause;
  }
  return new SupplyAuditError('PARSE_FAILED', `${file}:${String(line)}: ${reason}`, {
    file,
    line,
    cause,
  });
}

/**
 * The schema yields only plain data, but the type checker cannot know that: check it,
 * iteratively. Without anchors the result is a tree, so this is linear.
 */
export function isPlainData(value: unknown): value is JsonValue {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') {
      continue;
    }
    if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      for (const item of Object.values(v)) stack.push(item);
    } else {
      return false;
    }
  }
  return true;
}
