import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { sampleReport } from './__fixtures__/sample-report.js';
import { renderJson } from './json.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schema = JSON.parse(
  readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8'),
) as object;

export function validateReport(value: unknown): string | undefined {
  const ajv = new Ajv({ strict: true, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return validate(value) ? undefined : ajv.errorsText(validate.errors);
}

describe('renderJson', () => {
  it('emits a report that validates against the shipped schema', () => {
    const text = renderJson(sampleReport());
    expect(text.endsWith('}\n')).toBe(true);
    expect(validateReport(JSON.parse(text))).toBeUndefined();
  });

  it('the schema rejects a report that breaks the contract', () => {
    const broken = { ...sampleReport(), verdict: { exitCode: 4, reasons: [] } };
    expect(validateReport(broken)).toBe(
      'data/verdict/exitCode must be equal to one of the allowed values',
    );
  });
});
