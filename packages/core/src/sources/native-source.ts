// A native auditor as an advisory source: find the tool once (outside the repo), run it per
// project, and turn every expected problem into `skipped` or `failed` with a one-line reason.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeError } from '../errors.js';
import { findTool, isInside } from '../exec/index.js';
import type { InventoriedProject } from '../model/index.js';
import type {
  AdvisorySource,
  AuditorAdapter,
  NativeAdvisory,
  SourceContext,
  SourceResult,
} from './types.js';

const DEFAULT_TOOL_TIMEOUT_MS = 300_000;

export function createNativeSource(adapter: AuditorAdapter): AdvisorySource {
  return {
    name: adapter.source,
    applies: (project) => adapter.applies(project),
    run: (projects, ctx) => runNative(adapter, projects, ctx),
  };
}

async function runNative(
  adapter: AuditorAdapter,
  projects: readonly InventoriedProject[],
  ctx: SourceContext,
): Promise<SourceResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const options = ctx.tools?.[adapter.source] ?? {};
  const base = { name: adapter.source, advisories: [], findings: [] } as const;

  const root = resolve(ctx.root);
  const tool = await findTool(adapter.binary, {
    hostEnv: ctx.hostEnv,
    forbiddenRoots: [root],
    minVersion: adapter.minVersion,
    versionArgs: adapter.versionArgs,
    ...(options.binary === undefined ? {} : { explicitPath: options.binary }),
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  });
  if (tool.status === 'missing' || tool.status === 'too-old') {
    return { ...base, status: 'skipped', reason: tool.reason, durationMs: elapsed() };
  }
  if (tool.status === 'unusable') {
    return { ...base, status: 'failed', reason: tool.reason, durationMs: elapsed() };
  }
  // After the look-up: "not installed" is the more useful reason when both apply.
  if (ctx.offline) {
    const blocker = adapter.offlineBlocker(options);
    if (blocker !== undefined) {
      return { ...base, status: 'skipped', reason: `offline: ${blocker}`, durationMs: elapsed() };
    }
  }

  const tmpRoot = await mkdtemp(join(ctx.tmpDir ?? tmpdir(), `supplyaudit-${adapter.source}-`));
  const advisories: NativeAdvisory[] = [];
  const failures: string[] = [];
  const notes: string[] = [];
  try {
    for (const project of projects) {
      const label = project.lockfile ?? project.manifest ?? project.dir;
      const projectDir = resolve(root, project.dir);
      if (!isInside(projectDir, root)) {
        failures.push(`${label}: project directory is outside the scanned root`);
        continue;
      }
      try {
        const outcome = await adapter.run({
          root,
          projectDir,
          project,
          toolPath: tool.path,
          toolVersion: tool.version,
          hostEnv: ctx.hostEnv,
          options,
          timeoutMs: options.timeoutMs ?? ctx.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
          tmpDir: tmpRoot,
          ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
        });
        if (outcome.ok) {
          for (const note of outcome.notes ?? []) notes.push(`${label}: ${note}`);
          for (const a of outcome.advisories) {
            advisories.push(
              project.lockfile === undefined ? a : { ...a, lockfile: project.lockfile },
            );
          }
        } else {
          failures.push(`${label}: ${outcome.reason}`);
        }
      } catch (error) {
        failures.push(`${label}: ${describeError(error)}`);
      }
    }
  } finally {
    await rm(tmpRoot, { recursive: true, force: true });
  }

  const version = {
    ...(tool.version === undefined ? {} : { version: tool.version }),
    ...(notes.length === 0 ? {} : { notes }),
  };
  if (failures.length === 0) {
    return { ...base, ...version, status: 'ok', advisories, durationMs: elapsed() };
  }
  const more = failures.length > 1 ? ` (and ${String(failures.length - 1)} more)` : '';
  const partial =
    failures.length < projects.length
      ? ` [${String(projects.length - failures.length)} of ${String(projects.length)} projects audited]`
      : '';
  return {
    ...base,
    ...version,
    status: 'failed',
    reason: `${failures[0] ?? ''}${more}${partial}`,
    advisories,
    durationMs: elapsed(),
  };
}
