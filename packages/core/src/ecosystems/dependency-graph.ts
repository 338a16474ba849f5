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
 * Nodes are numbered once and edges kept in flat arrays, so the walks read arrays, not maps.
 */
export function walkDependencyGraph(
  roots: readonly GraphRoot[],
  nodes: ReadonlyMap<string, GraphNode>,
  maxPaths = MAX_PATHS,
  maxSteps = MAX_PATH_STEPS,
): Map<string, NodeFacts> {
  const graph = numberGraph(nodes);
  const { keys, labels, first, targets, kinds } = graph;
  const n = keys.length;
  const direct = new Uint8Array(n);
  const depth = new Int32Array(n);
  const paths: (PathLink[] | undefined)[] = new Array<PathLink[] | undefined>(n);
  /** nodes in the order they were first reached: the order of the result */
  const order: number[] = [];
  let frontier: number[] = [];
  const rootEdges = roots.map((root) => root.edges.map((edge) => graph.idOf(edge.to)));
  roots.forEach((root, r) => {
    const rootLink: PathLink = { label: root.label, parent: undefined, depth: 0, root: root.label };
    for (const to of rootEdges[r] ?? []) {
      if (to === -1) continue;
      direct[to] = 1;
      const link: PathLink = {
        label: labels[to] ?? '',
        parent: rootLink,
        depth: 1,
        root: root.label,
      };
      const list = paths[to];
      if (list === undefined) {
        depth[to] = 1;
        paths[to] = [link];
        order.push(to);
        frontier.push(to);
      } else if (list.length < maxPaths) {
        list.push(link);
      }
    }
  });
  // Breadth-first: the first paths recorded for a node are its shortest.
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const from of frontier) {
      const fromPaths = paths[from];
      if (fromPaths === undefined) continue;
      const d = depth[from] ?? 0;
      const end = first[from + 1] ?? 0;
      for (let e = first[from] ?? 0; e < end; e++) {
        if (kinds[e] === DEV) continue;
        const to = targets[e] ?? -1;
        if (to === -1) continue;
        const label = labels[to] ?? '';
        const existing = paths[to];
        if (existing === undefined) {
          depth[to] = d + 1;
          const list: PathLink[] = [];
          for (let i = 0; i < fromPaths.length && i < maxPaths; i++) {
            const p = fromPaths[i];
            if (p !== undefined) list.push({ label, parent: p, depth: d + 1, root: p.root });
          }
          paths[to] = list;
          order.push(to);
          next.push(to);
        } else if (depth[to] === d + 1 && existing.length < maxPaths) {
          for (const p of fromPaths) {
            if (existing.length >= maxPaths) break;
            existing.push({ label, parent: p, depth: d + 1, root: p.root });
          }
        }
      }
    }
    frontier = next;
  }

  const prod = reach(graph, roots, rootEdges, (kind, fromRoot) => !(fromRoot && kind === DEV));
  const required = reach(graph, roots, rootEdges, (kind) => kind !== OPTIONAL);
  const facts = new Map<string, NodeFacts>();
  for (const id of order) {
    facts.set(keys[id] ?? '', {
      direct: direct[id] === 1,
      dev: prod[id] !== 1,
      optional: required[id] !== 1,
      paths: (paths[id] ?? []).map((link) => materialize(link, maxSteps)),
    });
  }
  return facts;
}

const KIND_CODES: Readonly<Record<EdgeKind, number>> = { prod: 0, dev: 1, optional: 2, peer: 3 };
const DEV = KIND_CODES.dev;
const OPTIONAL = KIND_CODES.optional;

/** The nodes numbered in map order, their edges as flat arrays (`first[i]..first[i+1]`). */
interface NumberedGraph {
  readonly keys: readonly string[];
  readonly labels: readonly string[];
  readonly first: Int32Array;
  /** the target of each edge, -1 when it is not a node */
  readonly targets: Int32Array;
  readonly kinds: Uint8Array;
  idOf(key: string): number;
}

function numberGraph(nodes: ReadonlyMap<string, GraphNode>): NumberedGraph {
  const ids = new Map<string, number>();
  const keys: string[] = [];
  const labels: string[] = [];
  let edgeCount = 0;
  for (const [key, node] of nodes) {
    ids.set(key, keys.length);
    keys.push(key);
    labels.push(node.label);
    edgeCount += node.edges.length;
  }
  const first = new Int32Array(keys.length + 1);
  const targets = new Int32Array(edgeCount);
  const kinds = new Uint8Array(edgeCount);
  let e = 0;
  let i = 0;
  for (const node of nodes.values()) {
    first[i++] = e;
    for (const edge of node.edges) {
      targets[e] = ids.get(edge.to) ?? -1;
      kinds[e] = KIND_CODES[edge.kind];
      e++;
    }
  }
  first[i] = e;
  return { keys, labels, first, targets, kinds, idOf: (key) => ids.get(key) ?? -1 };
}

/** Nodes reachable from the roots through edges that `follow` accepts (1 = reached). */
function reach(
  graph: NumberedGraph,
  roots: readonly GraphRoot[],
  rootEdges: readonly (readonly number[])[],
  follow: (kind: number, fromRoot: boolean) => boolean,
): Uint8Array {
  const { first, targets, kinds } = graph;
  const seen = new Uint8Array(graph.keys.length);
  const stack: number[] = [];
  roots.forEach((root, r) => {
    const ids = rootEdges[r] ?? [];
    root.edges.forEach((edge, j) => {
      const to = ids[j] ?? -1;
      if (to !== -1 && follow(KIND_CODES[edge.kind], true) && seen[to] !== 1) {
        seen[to] = 1;
        stack.push(to);
      }
    });
  });
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    const end = first[id + 1] ?? 0;
    for (let e = first[id] ?? 0; e < end; e++) {
      const kind = kinds[e] ?? 0;
      if (kind === DEV || !follow(kind, false)) continue;
      const to = targets[e] ?? -1;
      if (to !== -1 && seen[to] !== 1) {
        seen[to] = 1;
        stack.push(to);
      }
    }
  }
  return seen;
}
