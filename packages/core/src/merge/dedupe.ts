// Deduplication: the same advisory for the same package@version in the same lockfile, reported
// under different ids by several sources, becomes one finding listing every id and source.
import { SEVERITY_RANK, type Finding } from '../model/index.js';
import { canonicalAdvisoryId, compareAdvisoryIds } from './advisory-ids.js';

/** Recomputes a finding's fingerprint from its merged ids (supplied by the caller). */
export type Fingerprinter = (finding: Finding) => string;

function packageKey(f: Finding): string {
  const p = f.package;
  return `${f.kind === 'malicious' ? 'vulnerability' : f.kind}\u0000${p?.ecosystem ?? ''}\u0000${p?.name ?? ''}\u0000${p?.version ?? ''}\u0000${f.location?.file ?? ''}`;
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root))
      root = p;
    // path compression
    for (
      let cur = x, p = this.parent.get(cur);
      p !== undefined && p !== root;
      p = this.parent.get(cur)
    ) {
      this.parent.set(cur, root);
      cur = p;
    }
    if (!this.parent.has(root)) this.parent.set(root, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

/** Group advisory findings (vulnerability and malicious kinds) and merge each group into one. */
export function dedupeFindings(
  findings: readonly Finding[],
  fingerprint: Fingerprinter,
): Finding[] {
  const byPackage = new Map<string, Finding[]>();
  const others: Finding[] = [];
  for (const f of findings) {
    if (f.kind !== 'vulnerability' && f.kind !== 'malicious') {
      others.push(f);
      continue;
    }
    const key = packageKey(f);
    const list = byPackage.get(key);
    if (list === undefined) byPackage.set(key, [f]);
    else list.push(f);
  }
  const merged: Finding[] = [];
  for (const group of byPackage.values()) {
    const uf = new UnionFind();
    for (const f of group) {
      uf.find(f.id);
      for (const alias of f.aliases) uf.union(f.id, alias);
    }
    const components = new Map<string, Finding[]>();
    for (const f of group) {
      const root = uf.find(f.id);
      const list = components.get(root);
      if (list === undefined) components.set(root, [f]);
      else list.push(f);
    }
    for (const parts of components.values()) merged.push(mergeGroup(parts, fingerprint));
  }
  return [...merged, ...others];
}

function mergeGroup(parts: readonly Finding[], fingerprint: Fingerprinter): Finding {
  const first = parts[0];
  if (first === undefined) throw new Error('empty group');
  if (parts.length === 1) return { ...first, fingerprint: fingerprint(first) };
  const ids = new Set<string>();
  for (const f of parts) {
    ids.add(f.id);
    for (const a of f.aliases) ids.add(a);
  }
  // The advisory's own id: OSV's record id when OSV saw it, else the canonical one.
  const fromOsv = parts.find((f) => f.sources.includes('osv'));
  const id = fromOsv?.id ?? canonicalAdvisoryId(ids);
  const aliases = [...ids].filter((x) => x !== id).sort(compareAdvisoryIds);
  const sources = [...new Set(parts.flatMap((f) => f.sources))].sort();
  const worst =
    [...parts].sort(
      (a, b) =>
        SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
        (b.cvss?.score ?? 0) - (a.cvss?.score ?? 0),
    )[0] ?? first;
  const ratings = new Set(parts.map((f) => f.severity).filter((s) => s !== 'unknown'));
  const disagreement =
    ratings.size > 1
      ? ` (sources disagree on severity: ${parts
          .filter((f) => f.severity !== 'unknown')
          .map((f) => `${f.sources.join('+')} ${f.severity}`)
          .join(', ')}; the highest counts)`
      : '';
  const fixedVersions = [...new Set(parts.flatMap((f) => f.fixedVersions))];
  const richest = fromOsv ?? worst;
  const paths = [...parts].sort((a, b) => b.paths.length - a.paths.length)[0]?.paths ?? [];
  const kind = parts.some((f) => f.kind === 'malicious') ? 'malicious' : 'vulnerability';
  const base: Finding = {
    ...richest,
    kind,
    id,
    aliases,
    severity: worst.severity,
    ...(worst.cvss === undefined ? {} : { cvss: worst.cvss }),
    summary:
      richest.summary !== ''
        ? richest.summary
        : (parts.find((f) => f.summary !== '')?.summary ?? ''),
    paths,
    fixedVersions,
    sources,
    message: `${richest.message}${disagreement}`,
  };
  return { ...base, fingerprint: fingerprint(base) };
}
