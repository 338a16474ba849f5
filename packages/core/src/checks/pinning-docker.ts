// Dockerfile pinning: every FROM must carry an `@sha256:` digest. `scratch` and references to
// earlier build stages are fine; `ARG` defaults declared before FROM are substituted.
// Reference: https://docs.docker.com/reference/dockerfile/#from and #understand-how-arg-and-from-interact
import type { CheckFinding, CheckOptions } from './types.js';
import { policyFinding } from './types.js';

export const DOCKER_RULE = 'docker-unpinned';

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

/** Logical instructions with their first line: comments dropped, `\` continuations joined. */
export function dockerInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  let buffer = '';
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const trimmed = line.trim();
    if (buffer === '' && (trimmed === '' || trimmed.startsWith('#'))) continue;
    if (buffer !== '' && trimmed.startsWith('#')) continue;
    if (buffer === '') start = i + 1;
    if (trimmed.endsWith('\\')) {
      buffer += `${trimmed.slice(0, -1)} `;
      continue;
    }
    buffer += trimmed;
    const space = buffer.search(/\s/);
    const keyword = (space === -1 ? buffer : buffer.slice(0, space)).toUpperCase();
    out.push({ keyword, args: space === -1 ? '' : buffer.slice(space + 1).trim(), line: start });
    buffer = '';
  }
  return out;
}

/** Substitute `$NAME`, `${NAME}` and `${NAME:-default}` from known ARG defaults. */
function substitute(
  value: string,
  args: ReadonlyMap<string, string>,
): { text: string; unresolved: string[] } {
  const unresolved: string[] = [];
  const text = value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_m, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      const known = args.get(name);
      if (known !== undefined && known !== '') return known;
      if (fallback !== undefined) return fallback;
      unresolved.push(name);
      return '';
    },
  );
  return { text, unresolved };
}

export function checkDockerfilePinning(
  text: string,
  file: string,
  options: CheckOptions,
): CheckFinding[] {
  const findings: CheckFinding[] = [];
  const args = new Map<string, string>();
  const stages = new Set<string>();
  let seenFrom = false;
  for (const ins of dockerInstructions(text)) {
    if (ins.keyword === 'ARG' && !seenFrom) {
      for (const decl of ins.args.split(/\s+/)) {
        const eq = decl.indexOf('=');
        const name = eq === -1 ? decl : decl.slice(0, eq);
        let value = eq === -1 ? '' : decl.slice(eq + 1);
        if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]))
          value = value.slice(1, -1);
        if (name !== '') args.set(name, value);
      }
      continue;
    }
    if (ins.keyword !== 'FROM') continue;
    seenFrom = true;
    const words = ins.args.split(/\s+/).filter((w) => w !== '');
    const image = words.find((w) => !w.startsWith('--'));
    if (image === undefined) continue;
    const asIndex = words.findIndex((w) => w.toUpperCase() === 'AS');
    const stage = asIndex === -1 ? undefined : words[asIndex + 1];
    const { text: resolved, unresolved } = substitute(image, args);
    const isStageRef = stages.has(resolved.toLowerCase());
    if (stage !== undefined) stages.add(stage.toLowerCase());
    if (resolved.toLowerCase() === 'scratch' || isStageRef) continue;
    const at = resolved.indexOf('@sha256:');
    if (at !== -1 && /^[0-9a-f]{64}$/.test(resolved.slice(at + 8))) continue;
    const shown =
      image === resolved ? image : `${image} (${resolved === '' ? 'unresolved' : resolved})`;
    const message =
      unresolved.length > 0 && resolved === ''
        ? `FROM ${image}: ARG ${unresolved.join(', ')} has no default, so the base image cannot be checked; give it a digest-pinned default`
        : `FROM ${shown} has no @sha256: digest: the tag can be moved to a different image`;
    findings.push(
      policyFinding(
        'pinning',
        DOCKER_RULE,
        options.severity,
        file,
        ins.line,
        resolved === '' ? image : resolved,
        message,
        'Base image not pinned to a digest',
      ),
    );
  }
  return findings;
}
