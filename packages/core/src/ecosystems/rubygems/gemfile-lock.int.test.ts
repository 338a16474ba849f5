// Checks the parser against real Bundler: both fixtures must give the same specs (name, version,
// platform), the same dependency names per spec and the same DEPENDENCIES. Skips, saying why,
// only when no ruby is installed (CI installs it: .ci/install-native-tools.sh).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildChildEnv, resolveBinary, runCommand } from '../../exec/index.js';
import { parseGemfileLock } from './gemfile-lock.js';

const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const ruby = resolveBinary('ruby', { pathEnv: process.env['PATH'], forbiddenRoots: [] });
if (!ruby.found) console.warn(`skipping the Bundler comparison: ${ruby.reason}`);

const SCRIPT = [
  'l = Bundler::LockfileParser.new(File.read(ARGV[0]))',
  'l.specs.each do |s|',
  '  platform = s.platform.to_s == "ruby" ? "" : "-#{s.platform}"',
  '  puts "spec #{s.name}@#{s.version}#{platform} #{s.dependencies.map(&:name).sort.join(",")}"',
  'end',
  'l.dependencies.each_key { |name| puts "dep #{name}" }',
].join('\n');

describe.runIf(ruby.found)('Gemfile.lock against real Bundler', () => {
  it.each([
    ['rails-app/Gemfile.lock', 'rails-app/Gemfile'],
    ['bundler-real/gems.locked', 'bundler-real/gems.rb'],
  ])('%s', async (fixture, gemfile) => {
    if (!ruby.found) return;
    const file = `${fixtures}${fixture}`;
    const result = await runCommand({
      file: ruby.path,
      args: ['-rbundler', '-e', SCRIPT, '--', file],
      cwd: fixtures,
      // PATH sources ask Bundler for its root, which it finds from the Gemfile.
      env: buildChildEnv(process.env, {
        extra: { HOME: fixtures, BUNDLE_GEMFILE: `${fixtures}${gemfile}` },
      }),
      timeoutMs: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const bundlerSpecs = lines
      .filter((l) => l.startsWith('spec '))
      .map((l) => l.slice(5))
      .sort();
    const bundlerDeps = lines
      .filter((l) => l.startsWith('dep '))
      .map((l) => l.slice(4))
      .sort();

    const text = readFileSync(file, 'utf8');
    const ours = parseGemfileLock(text, { file: fixture });
    expect(ours.diagnostics).toEqual([]);
    const dependencyNames = new Map<string, string[]>();
    for (const p of ours.packages) {
      const id = `${p.name}@${p.version ?? ''}${p.platform === undefined ? '' : `-${p.platform}`}`;
      // Our packages keep edges only as paths; read the dependency names back from the lockfile.
      dependencyNames.set(id, depsUnder(text, p.location.line));
    }
    const oursSpecs = [...dependencyNames]
      .map(([id, deps]) => `${id} ${deps.sort().join(',')}`)
      .sort();
    expect(oursSpecs).toEqual(bundlerSpecs);
    expect(bundlerSpecs.length).toBeGreaterThan(10);
    const direct = ours.packages.filter((p) => p.direct).map((p) => p.name);
    expect([...new Set(direct)].sort()).toEqual(bundlerDeps);
  });
});

/** The 6-space dependency names under the spec at `line` (1-based). */
function depsUnder(text: string, line: number): string[] {
  const rows = text.split('\n').slice(line);
  const out: string[] = [];
  for (const row of rows) {
    if (!row.startsWith('      ')) break;
    out.push(row.trim().split(' ', 1)[0] ?? '');
  }
  return out;
}
