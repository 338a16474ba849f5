import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { flatmap, lodashProto, pinning, sampleReport } from './__fixtures__/sample-report.js';
import { renderSarif, toSarifUri } from './sarif.js';

const schema: unknown = JSON.parse(
  readFileSync(new URL('./__fixtures__/sarif-schema-2.1.0.json', import.meta.url), 'utf8'),
);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema as object);
}

interface SarifLog {
  runs: {
    tool: { driver: { rules: { id: string; properties: Record<string, unknown> }[] } };
    results: {
      ruleId: string;
      level: string;
      locations?: {
        physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
      }[];
      partialFingerprints: Record<string, string>;
      suppressions?: unknown[];
    }[];
  }[];
}

describe('renderSarif', () => {
  const text = renderSarif(sampleReport());
  const log = JSON.parse(text) as SarifLog;
  const run = log.runs[0]!;

  it('validates against the official SARIF 2.1.0 schema', () => {
    const validate = validator();
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('has one rule per advisory or check, with security-severity from the score', () => {
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([
      'GHSA-p6mc-m468-83gw',
      'PYSEC-2018-28',
      'GHSA-mh6f-8j2x-4483',
      'pinning/actions-unpinned',
    ]);
    expect(run.tool.driver.rules[0]!.properties['security-severity']).toBe('7.4');
    expect(run.tool.driver.rules[1]!.properties['security-severity']).toBe('5.0');
    expect(run.tool.driver.rules[2]!.properties['security-severity']).toBe('10.0');
  });

  it('locates results on the lockfile line, with our fingerprint and levels from severity', () => {
    const r = run.results[0]!;
    expect(r.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'web/package-lock.json', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1234 },
    });
    expect(r.partialFingerprints).toEqual({ 'supplyaudit/v1': lodashProto.fingerprint });
    expect(run.results.map((x) => x.level)).toEqual(['error', 'warning', 'error', 'warning']);
  });

  it('escapes paths with newlines and pipes as URI references', () => {
    expect(run.results[3]!.locations?.[0]?.physicalLocation.artifactLocation.uri).toBe(
      '.github/workflows/ci%0Ayml%20%7C%20evil.yml',
    );
    expect(toSarifUri('a b/#c?.json')).toBe('a%20b/%23c%3F.json');
    expect(pinning.location?.line).toBe(12);
  });

  it('marks ignored findings as suppressed', () => {
    const ignored = { ...flatmap, ignored: { reason: 'false positive: vendored copy is patched' } };
    const one = JSON.parse(renderSarif(sampleReport([ignored]))) as SarifLog;
    expect(one.runs[0]!.results[0]!.suppressions).toEqual([
      { kind: 'external', justification: 'false positive: vendored copy is patched' },
    ]);
    expect(validator()(one)).toBe(true);
  });
});
