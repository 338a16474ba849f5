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
