// crates.io licenses: the lockfile's, then `cargo metadata` over the project's own downloaded
// sources (offline, lockfile left untouched), then the crates.io API
// (https://crates.io/data-access: `GET /api/v1/crates/{name}/{version}`, a User-Agent required).
import { join, parse as parsePath } from 'node:path';
import {
  cachedRegistryLookup,
  cleanLicenseText,
  jsonAt,
  registryUrl,
  type LicenseLookup,
  type LicenseLookupOptions,
} from '../../checks/license-lookup.js';
import { describeError } from '../../errors.js';
import { buildChildEnv, findTool, runCommand } from '../../exec/index.js';
import { VERSION } from '../../version.js';

/** one version's document; far below the client's cap, which is sized for whole databases */
const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;
const CRATE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const DEFAULT_TOOL_TIMEOUT_MS = 60_000;
const USER_AGENT = `supplyaudit/${VERSION} (license lookup)`;

interface CargoMetadataLicenses {
  /** `name@version` → license expression */
  readonly licenses: ReadonlyMap<string, string>;
  readonly warning?: string;
}

/** `name@version` → license, from `cargo metadata --format-version 1` output. */
export function parseCargoMetadataLicenses(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    return out;
  }
  const packages = jsonAt(doc, 'packages');
  if (!Array.isArray(packages)) return out;
  for (const p of packages) {
    const name = jsonAt(p, 'name');
    const version = jsonAt(p, 'version');
    const license = cleanLicenseText(jsonAt(p, 'license'));
    if (typeof name === 'string' && typeof version === 'string' && license !== undefined) {
      out.set(`${name}@${version}`, license);
    }
  }
  return out;
}

const metadataMemo = new WeakMap<
  LicenseLookupOptions,
  Map<string, Promise<CargoMetadataLicenses>>
>();

async function runCargoMetadata(
  projectDir: string,
  options: LicenseLookupOptions,
): Promise<CargoMetadataLicenses> {
  const hostEnv = options.hostEnv;
  if (hostEnv === undefined) return { licenses: new Map() };
  const forbiddenRoots = [projectDir];
  const tool = await findTool('cargo', {
    hostEnv,
    forbiddenRoots,
    timeoutMs: 15_000,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (tool.status !== 'ok') {
    return {
      licenses: new Map(),
      warning: `cargo metadata skipped: ${tool.reason}`,
    };
  }
  const extra: Record<string, string> = {};
  for (const key of ['CARGO_HOME', 'RUSTUP_HOME']) {
    const value = Object.hasOwn(hostEnv, key) ? hostEnv[key] : undefined;
    if (value !== undefined && value !== '') extra[key] = value;
  }
  try {
    const result = await runCommand({
      file: tool.path,
      // --locked: never rewrite the project's Cargo.lock; --offline: only downloaded sources.
      args: [
        'metadata',
        '--format-version',
        '1',
        '--offline',
        '--locked',
        '--manifest-path',
        join(projectDir, 'Cargo.toml'),
      ],
      // Outside the project, so neither its .cargo/config.toml nor its rust-toolchain file
      // (which may name a toolchain inside the repository) is read.
      cwd: options.toolCwd ?? parsePath(projectDir).root,
      env: buildChildEnv(hostEnv, { extra, forbiddenRoots }),
      timeoutMs: options.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
      killGraceMs: 1_000,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (result.exitCode !== 0) {
      const why = result.stderr.trim().split('\n').pop()?.slice(0, 200) ?? '';
      return {
        licenses: new Map(),
        warning: `cargo metadata failed (exit ${String(result.exitCode)})${why === '' ? '' : `: ${why}`}`,
      };
    }
    return { licenses: parseCargoMetadataLicenses(result.stdout) };
  } catch (error) {
    return { licenses: new Map(), warning: `cargo metadata failed: ${describeError(error)}` };
  }
}

/** One `cargo metadata` run per project and lookup session. */
export function cargoMetadataLicenses(
  projectDir: string,
  options: LicenseLookupOptions,
): Promise<CargoMetadataLicenses> {
  let perProject = metadataMemo.get(options);
  if (perProject === undefined) {
    perProject = new Map();
    metadataMemo.set(options, perProject);
  }
  let run = perProject.get(projectDir);
  if (run === undefined) {
    run = runCargoMetadata(projectDir, options);
    perProject.set(projectDir, run);
  }
  return run;
}

export const lookupCargoLicense: LicenseLookup = async (pkg, projectDir, options) => {
  const fromLock = cleanLicenseText(pkg.license);
  if (fromLock !== undefined) return { license: fromLock, source: 'lockfile' };
  const warnings: string[] = [];
  if (pkg.version !== undefined) {
    const metadata = await cargoMetadataLicenses(projectDir, options);
    if (metadata.warning !== undefined) warnings.push(metadata.warning);
    const local = metadata.licenses.get(`${pkg.name}@${pkg.version}`);
    if (local !== undefined) return { license: local, source: 'installed', warnings };
  }
  if (!CRATE_NAME.test(pkg.name)) return { source: 'unknown', warnings };
  const online = await cachedRegistryLookup(pkg, options, async (http, version) => {
    const url = registryUrl(
      options.registries.cratesIo,
      `api/v1/crates/${pkg.name}/${encodeURIComponent(version)}`,
    );
    const response = await http.requestJson({
      url,
      headers: { 'user-agent': USER_AGENT },
      acceptStatuses: [404],
      maxResponseBytes: MAX_DOCUMENT_BYTES,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (response.status === 404) return undefined;
    if (jsonAt(response.value, 'version') === undefined) return undefined;
    return { license: cleanLicenseText(jsonAt(response.value, 'version', 'license')) ?? null };
  });
  const all = [...warnings, ...(online.warnings ?? [])];
  return all.length === 0 ? online : { ...online, warnings: all };
};
