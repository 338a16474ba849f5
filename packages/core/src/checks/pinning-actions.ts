// GitHub Actions pinning: every `uses:` in workflows and action.yml files must name a full commit
// SHA. Local actions (`./...`) and `docker://...@sha256:` images are pinned; a version comment
// after the SHA is fine. Line-based, so every finding has its line, and linear on hostile input.
// Reference: https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions
import type { CheckFinding, CheckOptions } from './types.js';
import { policyFinding } from './types.js';

export const ACTIONS_RULE = 'actions-unpinned';

const HEX = /^[0-9a-f]+$/;

function isFullSha(ref: string): boolean {
  return (ref.length === 40 || ref.length === 64) && HEX.test(ref);
}

/** The value of a `uses:` key on this line, unquoted and without a trailing comment. */
export function usesValue(line: string): string | undefined {
  let rest = line.trimStart();
  if (rest.startsWith('- ')) rest = rest.slice(2).trimStart();
  else if (rest.startsWith('-\t')) rest = rest.slice(2).trimStart();
  for (const key of ['uses:', '"uses":', "'uses':"]) {
    if (rest.startsWith(key)) {
      rest = rest.slice(key.length).trim();
      break;
    }
    if (key === "'uses':") return undefined;
  }
  if (rest === '') return undefined;
  const quote = rest[0];
  if (quote === '"' || quote === "'") {
    const end = rest.indexOf(quote, 1);
    return end === -1 ? undefined : rest.slice(1, end);
  }
  const hash = rest.indexOf(' #');
  return (hash === -1 ? rest : rest.slice(0, hash)).trim();
}

export type UsesVerdict = 'pinned' | 'unpinned' | 'no-ref';

export function classifyUses(value: string): UsesVerdict {
  if (value.startsWith('./') || value.startsWith('.\\')) return 'pinned';
  if (value.startsWith('docker://')) {
    const at = value.indexOf('@sha256:');
    return at !== -1 && /^[0-9a-f]{64}$/.test(value.slice(at + 8)) ? 'pinned' : 'unpinned';
  }
  const at = value.lastIndexOf('@');
  if (at === -1) return 'no-ref';
  return isFullSha(value.slice(at + 1)) ? 'pinned' : 'unpinned';
}

export function checkActionsPinning(
  text: string,
  file: string,
  options: CheckOptions,
): CheckFinding[] {
  const findings: CheckFinding[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (!raw.includes('uses')) continue;
    const value = usesValue(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    if (value === undefined || value.includes('${{')) continue;
    const verdict = classifyUses(value);
    if (verdict === 'pinned') continue;
    const message =
      verdict === 'no-ref'
        ? `${value} has no ref: pin it to a full 40-character commit SHA`
        : `${value} is not pinned to a full commit SHA: a moved tag or branch changes what runs`;
    findings.push(
      policyFinding(
        'pinning',
        ACTIONS_RULE,
        options.severity,
        file,
        i + 1,
        value,
        message,
        'GitHub Action not pinned to a commit SHA',
      ),
    );
  }
  return findings;
}
