// The real pip-audit (installed by .ci/install-native-tools.sh) through the pip-audit source,
// against the loopback OSV API server (test/servers/osv-api-server.ts) serving real PYSEC records.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startOsvApiServer,
  type OsvApiServer,
} from '../../../../../test/servers/osv-api-server.js';
import { findTool } from '../../exec/index.js';
import { formatPurl, type InventoriedProject, type Package } from '../../model/index.js';
import { createNativeSource } from '../../sources/native-source.js';
import type { SourceContext } from '../../sources/types.js';
import { pipAuditAdapter } from './audit-adapter.js';

const hostEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'] };
const tool = await findTool('pip-audit', { hostEnv, forbiddenRoots: [] });
let server: OsvApiServer;
let root: string;

const pkg = (name: string, version: string, file: string): Package => ({
  ecosystem: 'PyPI',
  name,
  version,
  purl: formatPurl('PyPI', name, version),
  direct: true,
  dev: false,
  optional: false,
  paths: [],
  location: { file, line: 1 },
  source: { type: 'registry' },
});
const project = (lockfile: string, packages: Package[]): InventoriedProject => ({
  ecosystem: 'PyPI',
  dir: 'py',
  lockfile,
  parsed: true,
  diagnostics: [],
  packages,
});
const ctx = (extra: Partial<SourceContext> = {}): SourceContext => ({
  root,
  hostEnv,
  offline: false,
  timeoutMs: 60_000,
  tools: { 'pip-audit': { osvUrl: `${server.url}/v1/query` } },
  ...extra,
});
const brief = (
  advisories: readonly {
    ids: readonly string[];
    packageName: string;
    version?: string;
    fixedVersions: readonly string[];
  }[],
) =>
  advisories.map((a) => [
    a.ids.join(' '),
    `${a.packageName}@${a.version ?? ''}`,
    a.fixedVersions.join('|'),
  ]);

beforeAll(async () => {
  server = await startOsvApiServer();
  root = mkdtempSync(join(tmpdir(), 'sa-pip-audit-'));
  mkdirSync(join(root, 'py'));
  copyFileSync(
    new URL('./__fixtures__/native/project-requests/requirements.txt', import.meta.url),
    join(root, 'py/requirements.txt'),
  );
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(tool.status !== 'ok')(
  `pip-audit (real${tool.status === 'ok' ? ` ${tool.version ?? ''}` : ', not installed: skipped'})`,
  () => {
    it('audits pinned requirements (as a pins-only file from the inventory) against the loopback OSV service', async () => {
      const result = await createNativeSource(pipAuditAdapter).run(
        [project('py/requirements.txt', [pkg('requests', '2.19.0', 'py/requirements.txt')])],
        ctx(),
      );
      expect(result.status).toBe('ok');
      expect(result.version).toBe('2.10.1');
      expect(brief(result.advisories)).toEqual([
        ['PYSEC-2018-28 CVE-2018-18074 GHSA-x84v-xcm2-53pg', 'requests@2.19.0', '2.20.0'],
        ['PYSEC-2023-74 CVE-2023-32681 GHSA-j8r2-6x86-q33q', 'requests@2.19.0', '2.31.0'],
      ]);
      expect(
        result.advisories.every(
          (a) =>
            a.severity === 'unknown' &&
            a.source === 'pip-audit' &&
            a.lockfile === 'py/requirements.txt',
        ),
      ).toBe(true);
      expect(server.counts.query).toBeGreaterThanOrEqual(1);
    });

    it('writes a pins-only requirements file for other lockfiles, leaving out what it cannot pin', async () => {
      const packages = [
        pkg('requests', '2.19.0', 'py/poetry.lock'),
        { ...pkg('mylib', '0.1.0', 'py/poetry.lock'), local: true },
        pkg('urllib3', '2.2.2', 'py/poetry.lock'),
      ];
      const result = await createNativeSource(pipAuditAdapter).run(
        [project('py/poetry.lock', packages)],
        ctx(),
      );
      expect(result.status).toBe('ok');
      expect(brief(result.advisories).map((r) => r[0]?.split(' ')[0])).toEqual([
        'PYSEC-2018-28',
        'PYSEC-2023-74',
      ]);
      expect(result.notes).toEqual([
        'py/poetry.lock: not audited by pip-audit: mylib==0.1.0 (local package)',
      ]);
    });

    it('never lets pip-audit read the project requirements file (option lines could reach outside the repo)', async () => {
      writeFileSync(
        join(root, 'py/requirements-hostile.txt'),
        '-r /etc/hostname\nrequests==2.19.0\n',
      );
      const result = await createNativeSource(pipAuditAdapter).run(
        [
          project('py/requirements-hostile.txt', [
            pkg('requests', '2.19.0', 'py/requirements-hostile.txt'),
          ]),
        ],
        ctx(),
      );
      expect(result.status).toBe('ok');
      expect(result.advisories).toHaveLength(2);
    });

    it('reports a project with nothing pinned as ok with a note', async () => {
      const result = await createNativeSource(pipAuditAdapter).run(
        [project('py/uv.lock', [])],
        ctx(),
      );
      expect(result).toMatchObject({
        status: 'ok',
        advisories: [],
        notes: ['py/uv.lock: no package with an exact version to audit'],
      });
    });

    // Last but one: the injected faults may outlast pip-audit's requests.
    it('fails with the traceback cause when the OSV service answers 500', async () => {
      server.injectFault('query', { kind: 'status', status: 500 }, { times: 5 });
      const result = await createNativeSource(pipAuditAdapter).run(
        [project('py/requirements.txt', [pkg('requests', '2.19.0', 'py/requirements.txt')])],
        ctx(),
      );
      expect(result.status).toBe('failed');
      expect(result.reason).toMatch(
        /^py\/requirements\.txt: pip-audit printed nothing on stdout \(exit 1\): .*ServiceError/,
      );
    });

    it('is skipped offline without a loopback OSV URL', async () => {
      const result = await createNativeSource(pipAuditAdapter).run(
        [project('py/requirements.txt', [])],
        ctx({ offline: true, tools: {} }),
      );
      expect(result).toMatchObject({
        status: 'skipped',
        reason: 'offline: pip-audit needs PyPI or an OSV service',
      });
    });
  },
);
