import { describe, expect, it } from 'vitest';
import cvssCalculator from 'ae-cvss-calculator';
import { scoreCvss } from './cvss.js';

describe('scoreCvss', () => {
  // FIRST CVSS v3.1 specification and calculator (https://www.first.org/cvss/calculator/3.1).
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'critical'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'medium'],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H', 7.4, 'high'],
    ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', 7.2, 'high'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L', 5.3, 'medium'],
    ['CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 9.3, 'critical'],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.6, 'low'],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N', 0, 'unknown'],
    // temporal metrics do not change the base score
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L/E:U/RL:O/RC:U', 7.3, 'high'],
    // v3.0 vectors from the data (GHSA-r683-j2x4-v87g, RUSTSEC-2017-0002)
    ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8, 'high'],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N', 5.3, 'medium'],
    // FIRST CVSS v4.0 calculator (https://www.first.org/cvss/calculator/4.0)
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3, 'critical'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 10, 'critical'],
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.5, 'high'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N', 8.7, 'high'],
    ['CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N', 2.3, 'low'],
    // with a threat metric: the score of the vector as written (CVSS-BT)
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N/E:P', 5.5, 'medium'],
  ])('%s → %d', (vector, score, severity) => {
    const r = scoreCvss(vector);
    expect(r).toEqual({ version: vector.slice(5, 8), vector, score, severity });
  });

  it.each([
    '',
    'garbage',
    'CVSS:3.1',
    'CVSS:3.1/',
    'CVSS:3.1/AV:N',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', // A missing
    'CVSS:3.1/AV:Z/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', // unknown value
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1', // unknown metric
    'CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', // a metric twice
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/',
    'CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'AV:N/AC:L/Au:N/C:P/I:P/A:P', // CVSS v2: not scored here
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H',
    `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H${'/E:X'.repeat(10_000)}`,
    `CVSS:3.1/${'A'.repeat(100_000)}`,
  ])('refuses %j without throwing', (vector) => {
    expect(scoreCvss(vector)).toBeUndefined();
  });
});

describe('scoreCvss, v3 computed here', () => {
  // Every v3.0 and v3.1 base vector (2 x 2,592), with and without temporal and environmental
  // metrics, scored the same as by ae-cvss-calculator, which scored them all before.
  const values: [string, string[]][] = [
    ['AV', ['N', 'A', 'L', 'P']],
    ['AC', ['L', 'H']],
    ['PR', ['N', 'L', 'H']],
    ['UI', ['N', 'R']],
    ['S', ['U', 'C']],
    ['C', ['H', 'L', 'N']],
    ['I', ['H', 'L', 'N']],
    ['A', ['H', 'L', 'N']],
  ];
  const vectors: string[] = [''];
  for (const [key, options] of values) {
    const next: string[] = [];
    for (const v of vectors) for (const o of options) next.push(`${v}/${key}:${o}`);
    vectors.splice(0, vectors.length, ...next);
  }
  const library = (vector: string): number | undefined => {
    const v = vector.startsWith('CVSS:3.1')
      ? new cvssCalculator.Cvss3P1(vector)
      : new cvssCalculator.Cvss3P0(vector);
    return v.isBaseFullyDefined() ? v.calculateScores().base : undefined;
  };
  const extras = [
    '',
    '/E:U/RL:O/RC:C',
    '/E:X/RL:X/RC:X/CR:H/IR:L/AR:M/MAV:P/MAC:H/MPR:X/MUI:R/MS:C/MC:N/MI:L/MA:H',
  ];

  it.each(['3.0', '3.1'])('CVSS:%s: all base vectors', (version) => {
    let checked = 0;
    for (const base of vectors) {
      for (const extra of extras) {
        const vector = `CVSS:${version}${base}${extra}`;
        expect(scoreCvss(vector)?.score, vector).toBe(library(vector));
        checked++;
      }
    }
    expect(checked).toBe(2592 * 3);
  });

  it.each([
    'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/av:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Q',
    'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:X',
  ])('%s: outside the tables, the library decides', (vector) => {
    let expected: number | undefined;
    try {
      expected = library(vector);
    } catch {
      expected = undefined;
    }
    expect(scoreCvss(vector)?.score).toBe(expected);
  });
});
