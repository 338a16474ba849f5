// Shared by every lockfile parser: from a graph of locked packages to each package's scope
// (direct, dev, optional) and its shortest dependency paths, root first. Linear in the graph size.

export type EdgeKind = 'prod' | 'dev' | 'optional' | 'peer';

export interface GraphEdge {
  readonly to: string;
  readonly kind: EdgeKind;
}

export interface GraphRoot {
  /** label shown as the first step of a path, e.g. `my-app@1.0.0` or `packages/web` */
  readonly label: string;
  readonly edges: readonly GraphEdge[];
}

export interface GraphNode {
  /** `name@version`, the step shown in paths */
  readonly label: string;
  /** edges to other nodes; dev edges of non-root nodes are ignored (never installed) */
  readonly edges: readonly GraphEdge[];
}

export interface NodeFacts {
  readonly direct: boolean;
  readonly dev: boolean;
  readonly optional: boolean;
  readonly paths: readonly (readonly string[])[];
}

export const MAX_PATHS = 3;
/** Longest path shown: the root, an ellipsis, and the last steps. Keeps deep chains linear. */
export const MAX_PATH_STEPS = 16;

/** A path as a linked list back to its root: extending it is O(1), whatever the depth. */
interface PathLink {
  readonly label: string;
  readonly parent: PathLink | undefined;
  readonly depth: number;
  /** the root's label, so a long path never walks back to it */
  readonly root: string;
}

function materialize(link: PathLink, maxSteps: number): string[] {
  const steps: string[] = [];
  let cur: PathLink | undefined = link;
  while (cur !== undefined && steps.length < maxSteps - 2) {
    steps.push(cur.label);
    cur = cur.parent;
  }
  if (cur !== undefined) {
    if (cur.depth > 0) steps.push(cur.depth === 1 ? cur.label : '…');
    steps.push(cur.root);
  }
  return steps.reverse();
}

/**
 * Walk from the roots (importers, workspace members, the main manifest) through the nodes.
 * A node is `dev` when no path reaches it without a dev edge out of a root, `optional` when
 * every path passes an optional edge, `direct` when a root depends on it. Nodes not reachable
 * at all are absent from the result: callers decide (usually: keep them, with no paths).
 * Paths longer than MAX_PATH_STEPS keep the root and the last steps, with `…` between.
 */
export function walkDependencyGraph(
  roots: readonly GraphRoot[],
  nodes: ReadonlyMap<string, GraphNode>,
  maxPaths = MAX_PATHS,
  maxSteps = MAX_PATH_STEPS,
): Map<string, NodeFacts> {
  const direct = new Set<string>();
  const depth = new Map<string, number>();
  const paths = new Map<string, PathLink[]>();
  let frontier: string[] = [];
  for (const root of roots) {
    const rootLink: PathLink = { label: root.label, parent: undefined, depth: 0, root: root.label };
    for (const edge of root.edges) {
      if (!nodes.has(edge.to)) continue;
      direct.add(edge.to);
      const label = nodes.get(edge.to)?.label ?? edge.to;
      const link: PathLink = { label, parent: rootLink, depth: 1, root: root.label };
      const list = paths.get(edge.to);
      if (list === undefined) {
        depth.set(edge.to, 1);
        paths.set(edge.to, [link]);
        frontier.push(edge.to);
      } else if (list.length < maxPaths) {
        list.push(link);
      }
    }
  }
  // Breadth-first: the first paths recorded for a node are its shortest.
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const key of frontier) {
      const node = nodes.get(key);
      const from = paths.get(key);
      const d = depth.get(key) ?? 0;
      if (node === undefined || from === undefined) continue;
      for (const edge of node.edges) {
        if (edge.kind === 'dev') continue;
        const target = nodes.get(edge.to);
        if (target === undefined) continue;
        const existing = paths.get(edge.to);
        if (existing === undefined) {
          depth.set(edge.to, d + 1);
          paths.set(
            edge.to,
            from
              .slice(0, maxPaths)
              .map((p) => ({ label: target.label, parent: p, depth: d + 1, root: p.root })),
          );
          next.push(edge.to);
        } else if (depth.get(edge.to) === d + 1 && existing.length < maxPaths) {
          for (const p of from) {
            if (existing.length >= maxPaths) break;
            existing.push({ label: target.label, parent: p, depth: d + 1, root: p.root });
          }
        }
      }
    }
    frontier = next;
  }

  const prod = reach(roots, nodes, (kind, fromRoot) => !(fromRoot && kind === 'dev'));
  const required = reach(roots, nodes, (kind) => kind !== 'optional');
  const facts = new Map<string, NodeFacts>();
  for (const [key, list] of paths) {
    facts.set(key, {
      direct: direct.has(key),
      dev: !prod.has(key),
      optional: !required.has(key),
      paths: list.map((link) => materialize(link, maxSteps)),
    });
  }
  return facts;
}

/** Nodes reachable from the roots through edges that `follow` accepts. */
function reach(
  roots: readonly GraphRoot[],
  nodes: ReadonlyMap<string, GraphNode>,
  follow: (kind: EdgeKind, fromRoot: boolean) => boolean,
): Set<string> {
  const seen = new Set<string>();
  const stack: string[] = [];
  for (const root of roots) {
    for (const edge of root.edges) {
      if (follow(edge.kind, true) && nodes.has(edge.to) && !seen.has(edge.to)) {
        seen.add(edge.to);
        stack.push(edge.to);
      }
    }
  }
  for (let key = stack.pop(); key !== undefined; key = stack.pop()) {
    for (const edge of nodes.get(key)?.edges ?? []) {
      if (edge.kind === 'dev' || !follow(edge.kind, false)) continue;
      if (nodes.has(edge.to) && !seen.has(edge.to)) {
        seen.add(edge.to);
        stack.push(edge.to);
      }
    }
  }
  return seen;
}
