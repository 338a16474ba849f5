import { describe, expect, it } from 'vitest';
import { walkDependencyGraph, type GraphNode } from './dependency-graph.js';

function graph(entries: Record<string, [string, GraphNode['edges']]>): Map<string, GraphNode> {
  return new Map(Object.entries(entries).map(([k, [label, edges]]) => [k, { label, edges }]));
}

describe('walkDependencyGraph', () => {
  const nodes = graph({
    a: ['a@1.0.0', [{ to: 'c', kind: 'prod' }]],
    b: [
      'b@2.0.0',
      [
        { to: 'c', kind: 'prod' },
        { to: 'e', kind: 'optional' },
      ],
    ],
    c: ['c@3.0.0', [{ to: 'd', kind: 'prod' }]],
    d: ['d@4.0.0', [{ to: 'a', kind: 'prod' }]], // a cycle back to a
    e: ['e@5.0.0', []],
    orphan: ['orphan@1.0.0', []],
  });
  const facts = walkDependencyGraph(
    [
      {
        label: 'app@0.0.0',
        edges: [
          { to: 'a', kind: 'prod' },
          { to: 'b', kind: 'dev' },
        ],
      },
    ],
    nodes,
  );

  it('marks direct dependencies and computes shortest paths root first', () => {
    expect(facts.get('a')).toEqual({
      direct: true,
      dev: false,
      optional: false,
      paths: [['app@0.0.0', 'a@1.0.0']],
    });
    expect(facts.get('d')?.paths).toEqual([
      ['app@0.0.0', 'a@1.0.0', 'c@3.0.0', 'd@4.0.0'],
      ['app@0.0.0', 'b@2.0.0', 'c@3.0.0', 'd@4.0.0'],
    ]);
  });

  it('keeps several shortest paths of equal length', () => {
    expect(facts.get('c')?.paths).toEqual([
      ['app@0.0.0', 'a@1.0.0', 'c@3.0.0'],
      ['app@0.0.0', 'b@2.0.0', 'c@3.0.0'],
    ]);
  });

  it('is dev only when every path starts with a dev edge, optional when every path passes an optional edge', () => {
    expect(facts.get('b')).toMatchObject({ direct: true, dev: true, optional: false });
    expect(facts.get('c')).toMatchObject({ dev: false, optional: false });
    expect(facts.get('e')).toMatchObject({ direct: false, dev: true, optional: true });
  });

  it('leaves unreachable nodes out', () => {
    expect(facts.has('orphan')).toBe(false);
    expect(facts.size).toBe(5);
  });
});

describe('walkDependencyGraph on deep chains', () => {
  it('keeps the root, an ellipsis and the last steps, so a 20,000-deep chain stays linear', () => {
    const n = 20_000;
    const nodes = new Map<string, GraphNode>();
    for (let i = 0; i < n; i++)
      nodes.set(`p${String(i)}`, {
        label: `p${String(i)}@1.0.0`,
        edges: i + 1 < n ? [{ to: `p${String(i + 1)}`, kind: 'prod' }] : [],
      });
    const facts = walkDependencyGraph(
      [{ label: 'app', edges: [{ to: 'p0', kind: 'prod' }] }],
      nodes,
    );
    const last = facts.get(`p${String(n - 1)}`)?.paths[0];
    expect(last).toHaveLength(16);
    expect(last?.slice(0, 3)).toEqual(['app', '…', `p${String(n - 14)}@1.0.0`]);
    expect(last?.at(-1)).toBe(`p${String(n - 1)}@1.0.0`);
    expect(facts.get('p13')?.paths[0]).toHaveLength(15);
    expect(facts.get('p14')?.paths[0]).toEqual([
      'app',
      ...Array.from({ length: 15 }, (_, i) => `p${String(i)}@1.0.0`),
    ]);
    expect(facts.get('p15')?.paths[0]?.slice(0, 3)).toEqual(['app', '…', 'p2@1.0.0']);
  });
});
