// The benchmark harness: runs each case in a fresh Node process several times, takes medians of
// the time and peak memory the case reports, and prints a table with the ratio to the reference.
import { execFileSync } from 'node:child_process';

/**
 * A case script prints one JSON line last: { ms: number, rssMB?: number, ...extra }.
 * Peak memory is taken from process.resourceUsage().maxRSS in the child itself.
 */
export function runCase(script, args = [], env = {}) {
  const out = execFileSync(process.execPath, ['--expose-gc', script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = out.trim().split('\n').pop();
  return JSON.parse(last);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Run every case `runs` times (interleaved, so drift hits all alike) and return medians. */
export function measure(cases, runs) {
  const samples = new Map(cases.map((c) => [c.name, []]));
  for (let r = 0; r < runs; r++) {
    for (const c of cases) samples.get(c.name).push(runCase(c.script, c.args, c.env));
  }
  return cases.map((c) => {
    const s = samples.get(c.name);
    return {
      name: c.name,
      reference: c.reference === true,
      ms: median(s.map((x) => x.ms)),
      rssMB: median(s.map((x) => x.rssMB ?? NaN)),
      extra: s[0],
    };
  });
}

export function printTable(title, results, note = '') {
  const ref = results.find((r) => r.reference) ?? results[0];
  const rows = results.map((r) => [
    r.name,
    r.ms.toFixed(1),
    Number.isNaN(r.rssMB) ? '-' : r.rssMB.toFixed(0),
    r === ref ? 'reference' : `${(r.ms / ref.ms).toFixed(2)}x`,
  ]);
  const head = ['case', 'median ms', 'peak RSS MB', 'time vs reference'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${title}${note ? `\n${note}` : ''}`);
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}
