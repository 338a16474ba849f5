import { describe, expect, it } from 'vitest';
import type { Finding } from '../model/index.js';
import { lodashProto, requestsLeak, sampleReport } from './__fixtures__/sample-report.js';
import { escapeCell, renderMarkdown } from './markdown.js';

describe('renderMarkdown', () => {
  const text = renderMarkdown(sampleReport());

  it('follows the security-review shape: threat table, recommendations, compliance notes', () => {
    const sections = text.split('\n').filter((l) => l.startsWith('##'));
    expect(sections).toEqual([
      '## Supply-chain audit: ❌ Failed',
      '### Threat Assessment',
      '### Recommendations',
      '### Compliance Notes',
    ]);
    expect(text).toContain('| Threat | Severity | Attack Vector | Mitigation |');
    expect(text).toContain(
      '| lodash@​4.17.15: GHSA-p6mc-m468-83gw Prototype Pollution in lodash | 🟠 High | Network | Upgrade lodash to 4.17.19 |',
    );
  });

  it('orders recommendations by priority', () => {
    const recs = text.slice(
      text.indexOf('### Recommendations'),
      text.indexOf('### Compliance Notes'),
    );
    expect(recs.split('\n').filter((l) => /^\d+\./.test(l))).toEqual([
      '1. Remove flatmap-stream@​0.1.1 (malicious: GHSA-mh6f-8j2x-4483) and rotate credentials the install could read',
      '2. Upgrade lodash to 4.17.19: fixes 1 finding',
      '3. Upgrade requests to 2.20.0: fixes 1 finding',
      '4. Pin 1 unpinned reference (exact versions, commit SHAs, image digests)',
    ]);
  });

  it('cites PCI-DSS 6.3.3 and SOC 2 CC7.1 where findings bear on them', () => {
    expect(text).toContain('**PCI-DSS v4.0 requirement 6.3.3**');
    expect(text).toContain('2 known vulnerabilities in dependencies, 1 critical or high.');
    expect(text).toContain('**SOC 2 CC7.1**');
  });

  it('escapes untrusted text so it cannot break the table or inject markup', () => {
    expect(escapeCell('a|b\n<script>`x`')).toBe('a\\|b \\<script\\>\\`x\\`');
    const pipe = text.split('\n').find((l) => l.includes('actions/checkout'));
    expect(pipe).toBe(
      '| actions/checkout@​v4 is not pinned to a full commit SHA | 🟡 Medium | Unpinned reference: a moved tag or a new release changes what you run | actions/checkout@​v4 is not pinned to a full commit SHA |',
    );
  });

  it('stays under the limit by collapsing low severities, then summarising, and says what it left out', () => {
    const many: Finding[] = [];
    for (let i = 0; i < 3000; i++) {
      many.push({
        ...lodashProto,
        id: `GHSA-test-${String(i)}`,
        package: { ...lodashProto.package!, name: `pkg-${String(i)}` },
      });
      many.push({ ...requestsLeak, id: `PYSEC-test-${String(i)}`, severity: 'low' });
    }
    const big = renderMarkdown(sampleReport(many));
    expect(big.length).toBeLessThanOrEqual(60_000);
    expect(big).toMatch(/_\d+ more findings left out to keep this under 60000 characters/);
    const collapsedOnly = renderMarkdown(sampleReport(many.slice(0, 400)));
    expect(collapsedOnly.length).toBeLessThanOrEqual(60_000);
    expect(collapsedOnly).toContain(
      '_200 low or unknown-severity findings collapsed to keep this under 60000 characters',
    );
  });
});
