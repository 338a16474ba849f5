import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkActionsPinning, classifyUses } from './pinning-actions.js';
import { checkDockerfilePinning } from './pinning-docker.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./__fixtures__/pinning/${name}`, import.meta.url), 'utf8');

describe('GitHub Actions pinning', () => {
  const findings = checkActionsPinning(fixture('workflow.yml'), '.github/workflows/ci.yml', {
    severity: 'medium',
  });

  it('flags every uses: not pinned to a full SHA, with its line', () => {
    expect(findings.map((f) => [f.location?.line, f.subject])).toEqual([
      [6, 'octo-org/shared/.github/workflows/build.yml@main'],
      [13, 'actions/setup-node@v4'],
      [15, 'actions/cache@v3.3.2'],
      [18, 'docker://alpine:3.19'],
      [20, 'actions/upload-artifact@b4ffde6'],
      [21, 'octo-org/no-ref'],
    ]);
  });

  it('says what is wrong in one line', () => {
    expect(findings[1]).toMatchObject({
      kind: 'pinning',
      id: 'actions-unpinned',
      severity: 'medium',
      location: { file: '.github/workflows/ci.yml', line: 13 },
      message:
        'actions/setup-node@v4 is not pinned to a full commit SHA: a moved tag or branch changes what runs',
    });
    expect(findings[5]?.message).toBe(
      'octo-org/no-ref has no ref: pin it to a full 40-character commit SHA',
    );
  });

  it.each([
    ['actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11', 'pinned'],
    ['actions/checkout@B4FFDE65F46336AB88EB53BE808477A3936BAE11', 'unpinned'],
    ['./local', 'pinned'],
    ['docker://ghcr.io/o/i:1@sha256:' + 'c'.repeat(64), 'pinned'],
    ['docker://ghcr.io/o/i@sha256:abc', 'unpinned'],
    ['o/r@' + 'a'.repeat(10_000), 'unpinned'],
  ] as const)('%s is %s', (value, verdict) => {
    expect(classifyUses(value)).toBe(verdict);
  });
});

describe('Dockerfile pinning', () => {
  const findings = checkDockerfilePinning(fixture('Dockerfile'), 'Dockerfile', { severity: 'low' });

  it('flags FROM without a digest, resolving ARG defaults, skipping scratch and stage references', () => {
    expect(findings.map((f) => [f.location?.line, f.message])).toEqual([
      [
        6,
        'FROM ${BASE} (node:20-alpine) has no @sha256: digest: the tag can be moved to a different image',
      ],
      [12, 'FROM ubuntu:22.04 has no @sha256: digest: the tag can be moved to a different image'],
      [
        16,
        'FROM ${NO_DEFAULT}: ARG NO_DEFAULT has no default, so the base image cannot be checked; give it a digest-pinned default',
      ],
      [
        17,
        'FROM ${NO_DEFAULT:-debian:12} (debian:12) has no @sha256: digest: the tag can be moved to a different image',
      ],
    ]);
  });
});
