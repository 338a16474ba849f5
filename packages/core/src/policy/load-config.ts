// Finding and reading the config: from the scanned root upward, the first of
// supplyaudit.config.json, .supplyauditrc.json, .supplyauditrc.yaml (or .yml), or a `supplyaudit`
// key in package.json; `--config FILE` instead when given. Merged under the flags, validated once.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { decodeText, isJsonObject, parseJson, parseYaml, type JsonValue } from '../decode/index.js';
import { SupplyAuditError } from '../errors.js';
import { validateConfig, type Config } from './config.js';

export const CONFIG_FILE_NAMES = [
  'supplyaudit.config.json',
  '.supplyauditrc.json',
  '.supplyauditrc.yaml',
  '.supplyauditrc.yml',
] as const;

const MAX_CONFIG_BYTES = 1024 * 1024;

export interface LoadedConfig {
  readonly config: Config;
  /** the file it came from, when one was found */
  readonly file?: string;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function readConfigFile(path: string): Promise<JsonValue | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new SupplyAuditError('CONFIG_INVALID', `${path}: cannot read the config file`, {
      cause,
      file: path,
    });
  }
  const text = decodeText(bytes, path, MAX_CONFIG_BYTES);
  const name = basename(path);
  try {
    if (name === 'package.json') {
      const pkg = parseJson(text, path);
      if (!isJsonObject(pkg) || !Object.hasOwn(pkg, 'supplyaudit')) return undefined;
      return pkg['supplyaudit'];
    }
    return name.endsWith('.yaml') || name.endsWith('.yml')
      ? parseYaml(text, path, { numbers: true })
      : parseJson(text, path);
  } catch (error) {
    if (error instanceof SupplyAuditError)
      throw new SupplyAuditError('CONFIG_INVALID', error.message, { cause: error, file: path });
    throw error;
  }
}

/** The config file that applies to `root`: the explicit one, else the nearest one upward. */
export async function findConfigFile(
  root: string,
  explicit?: string,
): Promise<{ file: string; value: JsonValue } | undefined> {
  if (explicit !== undefined) {
    const file = resolve(explicit);
    if (!(await isFile(file)))
      throw new SupplyAuditError('CONFIG_INVALID', `${explicit}: config file not found`, {
        file: explicit,
      });
    return { file, value: (await readConfigFile(file)) ?? {} };
  }
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const file = join(dir, name);
      if (await isFile(file)) return { file, value: (await readConfigFile(file)) ?? {} };
    }
    const pkg = join(dir, 'package.json');
    if (await isFile(pkg)) {
      const value = await readConfigFile(pkg);
      if (value !== undefined) return { file: pkg, value };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Merge plain objects (flags over file); arrays and scalars from `over` replace. Prototype-safe. */
export function mergeRaw(base: JsonValue | undefined, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isJsonObject(base) || typeof over !== 'object' || over === null || Array.isArray(over))
    return over;
  const out = new Map<string, unknown>(Object.entries(base));
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const prev = out.get(key);
    out.set(key, isJsonObject(prev) ? mergeRaw(prev, value) : value);
  }
  return Object.fromEntries(out);
}

/**
 * Defaults < file < flags. Every problem is reported at once:
 * CONFIG_INVALID with one `path: problem` per line after the file name.
 */
export async function loadConfig(
  root: string,
  options: { explicit?: string; overrides?: Record<string, unknown> } = {},
): Promise<LoadedConfig> {
  const found = await findConfigFile(root, options.explicit);
  const raw = mergeRaw(found?.value ?? {}, options.overrides ?? {});
  const result = validateConfig(raw);
  if (!result.ok) {
    const where = found?.file ?? 'command-line options';
    throw new SupplyAuditError(
      'CONFIG_INVALID',
      `${where}: invalid configuration\n${result.errors.map((e) => `  ${e}`).join('\n')}`,
      {
        ...(found === undefined ? {} : { file: found.file }),
      },
    );
  }
  return found === undefined
    ? { config: result.config }
    : { config: result.config, file: found.file };
}
