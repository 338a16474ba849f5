// Ignores: a finding accepted on purpose, with a reason and maybe an expiry. An ignore matches any
// alias of a finding; an expired ignore stops applying and is reported; an unused one is reported.
import type { Finding } from '../model/index.js';
import type { Ignore } from './config.js';

export interface IgnoreOutcome {
  readonly findings: Finding[];
  /** one-line warnings: expired and unused ignores */
  readonly warnings: string[];
}

/** `*` matches any run of characters but `/`; `**` any run including `/`. Linear, no regex. */
export function matchesGlob(pattern: string, path: string): boolean {
  if (!pattern.includes('*')) return pattern === path;
  const regex = new RegExp(
    `^${pattern
      .split('**')
      .map((part) => part.split('*').map(escapeRegex).join('[^/]*'))
      .join('.*')}$`,
    's',
  );
  return regex.test(path);
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function isExpired(ignore: Ignore, today: string): boolean {
  return ignore.expires !== undefined && ignore.expires < today;
}

function applies(ignore: Ignore, f: Finding): boolean {
  const ids = [f.id, ...f.aliases];
  if (!ids.some((id) => id.toUpperCase() === ignore.id.toUpperCase())) return false;
  if (ignore.package !== undefined) {
    const name = f.package?.name;
    if (name === undefined) return false;
    const wanted = ignore.package;
    if (wanted !== name && wanted !== `${name}@${f.package?.version ?? ''}`) return false;
  }
  if (ignore.paths !== undefined && ignore.paths.length > 0) {
    const file = f.location?.file;
    if (file === undefined || !ignore.paths.some((p) => matchesGlob(p, file))) return false;
  }
  return true;
}

/** Mark ignored findings (they stay in the report with the reason). `now` decides expiry. */
export function applyIgnores(
  findings: readonly Finding[],
  ignores: readonly Ignore[],
  now: Date,
): IgnoreOutcome {
  const today = now.toISOString().slice(0, 10);
  const warnings: string[] = [];
  const used = new Set<number>();
  const active: { ignore: Ignore; index: number }[] = [];
  ignores.forEach((ignore, index) => {
    if (isExpired(ignore, today)) {
      warnings.push(
        `ignores[${String(index)}] (${ignore.id}) expired on ${ignore.expires ?? ''} and no longer applies`,
      );
    } else {
      active.push({ ignore, index });
    }
  });
  const out = findings.map((f) => {
    const hit = active.find(({ ignore }) => applies(ignore, f));
    if (hit === undefined) return f;
    used.add(hit.index);
    const { ignore } = hit;
    return {
      ...f,
      ignored:
        ignore.expires === undefined
          ? { reason: ignore.reason }
          : { reason: ignore.reason, expires: ignore.expires },
    };
  });
  for (const { ignore, index } of active) {
    if (!used.has(index))
      warnings.push(
        `ignores[${String(index)}] (${ignore.id}) matched no finding; remove it if it is no longer needed`,
      );
  }
  return { findings: out, warnings };
}
