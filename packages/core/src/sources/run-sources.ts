// Runs several advisory sources at once, bounded by the machine's parallelism; one failing (or
// throwing) source becomes a `failed` result and never stops the others.
import { availableParallelism } from 'node:os';
import { describeError } from '../errors.js';
import type { InventoriedProject } from '../model/index.js';
import type { AdvisorySource, SourceContext, SourceResult } from './types.js';

export interface RunSourcesOptions {
  /** at most this many sources at a time; os.availableParallelism() by default */
  readonly concurrency?: number;
}

/** Results in the order of `sources`. */
export async function runSources(
  sources: readonly AdvisorySource[],
  projects: readonly InventoriedProject[],
  ctx: SourceContext,
  options: RunSourcesOptions = {},
): Promise<SourceResult[]> {
  const limit = Math.max(
    1,
    Math.min(options.concurrency ?? availableParallelism(), sources.length),
  );
  const results = new Array<SourceResult | undefined>(sources.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < sources.length; i = next++) {
      const source = sources[i];
      if (source !== undefined) results[i] = await runOne(source, projects, ctx);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results.map((r, i) => r ?? failedResult(sources[i]?.name ?? 'osv', 'did not run', 0));
}

async function runOne(
  source: AdvisorySource,
  projects: readonly InventoriedProject[],
  ctx: SourceContext,
): Promise<SourceResult> {
  const started = performance.now();
  const applicable = projects.filter((p) => safeApplies(source, p));
  if (applicable.length === 0) {
    return {
      name: source.name,
      status: 'skipped',
      reason: 'no project it applies to',
      advisories: [],
      findings: [],
      durationMs: 0,
    };
  }
  if (ctx.signal?.aborted === true) {
    return failedResult(source.name, 'canceled', 0);
  }
  try {
    return await source.run(applicable, ctx);
  } catch (error) {
    // A source must return failures as values; a throw is a bug, still contained here.
    return failedResult(source.name, describeError(error), Math.round(performance.now() - started));
  }
}

function safeApplies(source: AdvisorySource, project: InventoriedProject): boolean {
  try {
    return source.applies(project);
  } catch {
    return false;
  }
}

function failedResult(
  name: SourceResult['name'],
  reason: string,
  durationMs: number,
): SourceResult {
  return { name, status: 'failed', reason, advisories: [], findings: [], durationMs };
}
