// parsePipAudit on every recorded real pip-audit output (copied from shared/fixtures/native/pip-audit).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatPurl, type Package } from '../../model/index.js';
import {
  completeId,
  parsePipAudit,
  pipAuditArgs,
  requirementsFromPackages,
} from './audit-adapter.js';

const dir = new URL('./__fixtures__/native/recorded/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const stdout = (name: string, exitCode = 1) =>
  parsePipAudit({ exitCode, stdout: read(name), stderr: '' });
const SKIP_NOTE =
  'pip-audit skipped azure-devops: Dependency not found on PyPI and could not be audited: azure-devops (0.17.0)';

describe('parsePipAudit on recorded outputs', () => {
  it.each([
    ['defectdojo-v1-array-empty.json', undefined],
    ['local-v2.10.1-osvmock-json-no-vulns.json', undefined],
    ['defectdojo-v1-array-zero-vulns-with-skip.json', [SKIP_NOTE]],
  ])('%s: ok with none', (name, notes) => {
    expect(stdout(name, 0)).toEqual(
      notes === undefined ? { ok: true, advisories: [] } : { ok: true, advisories: [], notes },
    );
  });

  it('v2.10.1 against the OSV mock: 34 advisories, id then sorted aliases, no severity', () => {
    const r = stdout('local-v2.10.1-osvmock-json-34-vulns.json');
    if (!r.ok) throw new Error(r.reason);
    expect(r.advisories).toHaveLength(34);
    expect(r.advisories[0]).toEqual({
      ids: ['PYSEC-2018-28', 'CVE-2018-18074', 'GHSA-x84v-xcm2-53pg'],
      ecosystem: 'PyPI',
      packageName: 'requests',
      version: '2.19.0',
      severity: 'unknown',
      title:
        'The Requests package before 2.20.0 for Python sends an HTTP Authorization header to an http URI upon receiving a same-hostname https-to-http redirect, which makes it easier for remote attackers to discover credentials by sniffing the network.',
      fixedVersions: ['2.20.0'],
      source: 'pip-audit',
      kind: 'vulnerability',
    });
    expect(r.advisories[1]?.ids).toEqual([
      'PYSEC-2023-74',
      'CVE-2023-32681',
      'GHSA-j8r2-6x86-q33q',
    ]);
    expect(new Set(r.advisories.map((a) => `${a.packageName}@${a.version ?? ''}`))).toEqual(
      new Set(['requests@2.19.0', 'django@3.2.9', 'flask@0.12', 'jinja2@2.10', 'urllib3@1.24.1']),
    );
  });

  it('the --fix run has the same 34 advisories', () => {
    const a = stdout('local-v2.10.1-osvmock-json-34-vulns.json');
    const b = stdout('local-v2.10.1-osvmock-json-with-fixes.json');
    expect(b.ok && b.advisories.map((x) => x.ids[0])).toEqual(
      a.ok && a.advisories.map((x) => x.ids[0]),
    );
  });

  it('aliases and descriptions off: ids only, empty titles', () => {
    const r = stdout('local-v2.10.1-osvmock-json-aliases-off-desc-off-ignore-vuln.json');
    if (!r.ok) throw new Error(r.reason);
    expect(r.advisories).toHaveLength(32);
    expect(r.advisories[0]).toMatchObject({
      ids: ['PYSEC-2021-439'],
      packageName: 'django',
      version: '3.2.9',
      title: '',
      fixedVersions: ['2.2.25', '3.1.14', '3.2.10'],
    });
  });

  it.each(['defectdojo-v1-array-many-vulns.json', 'defectdojo-v2-many-vulns-no-fixes-key.json'])(
    '%s: both shapes give the same 7 advisories and a skip note',
    (name) => {
      const r = stdout(name);
      if (!r.ok) throw new Error(r.reason);
      expect(r.notes).toEqual([SKIP_NOTE]);
      expect(r.advisories.map((a) => [a.ids[0], a.packageName, a.version])).toEqual([
        ['PYSEC-2021-76', 'aiohttp', '3.6.2'],
        ['PYSEC-2021-439', 'django', '3.2.9'],
        ['PYSEC-2021-852', 'lxml', '4.6.4'],
        ['PYSEC-2019-128', 'twisted', '18.9.0'],
        ['PYSEC-2020-260', 'twisted', '18.9.0'],
        ['PYSEC-2019-129', 'twisted', '18.9.0'],
        ['PYSEC-2020-259', 'twisted', '18.9.0'],
      ]);
    },
  );

  it.each([
    'local-v2.10.1-osvmock-cyclonedx-1.4-vulns.json',
    'local-v2.10.1-osvmock-cyclonedx-1.4-no-vulns.json',
  ])('%s: CycloneDX is refused clearly', (name) => {
    expect(stdout(name)).toEqual({
      ok: false,
      reason: 'pip-audit printed CycloneDX, not the JSON format (--format=json) supplyaudit reads',
    });
  });

  it('empty stdout with an ERROR line on stderr (unpinned requirement)', () => {
    expect(
      parsePipAudit({
        exitCode: 1,
        stdout: '',
        stderr: read('local-v2.10.1-stderr-unpinned-no-deps-error.txt'),
      }),
    ).toEqual({
      ok: false,
      reason:
        "pip-audit printed nothing on stdout (exit 1): requirement requests is not pinned to an exact version: requests>=2.0 (from RequirementLine(line_number=1, line='requests>=2.0', filename=PosixPath('proj/requirements-unpinned.txt')))",
    });
  });

  it('empty stdout with a traceback (OSV service answered 500)', () => {
    expect(
      parsePipAudit({
        exitCode: 1,
        stdout: '',
        stderr: read('local-v2.10.1-stderr-osv-http500-traceback.txt'),
      }),
    ).toEqual({
      ok: false,
      reason:
        'pip-audit printed nothing on stdout (exit 1): File "/home/dev/pa/src/pypa+pip-audit/pip_audit/_service/osv.py", line 79, in query | raise ServiceError from http_error | pip_audit._service.interface.ServiceError',
    });
  });

  it('the recorded OSV request body is not a report', () => {
    expect(stdout('osv-query-request-body-v2.10.1.json')).toEqual({
      ok: false,
      reason: 'pip-audit printed JSON in a shape supplyaudit does not know (no dependencies)',
    });
  });
});

describe('pip-audit arguments and requirements', () => {
  it('builds flag=value arguments', () => {
    expect(
      pipAuditArgs({ requirements: '/tmp/r.txt', osvUrl: 'http://127.0.0.1:9/v1/query' }),
    ).toEqual([
      '--requirement=/tmp/r.txt',
      '--no-deps',
      '--disable-pip',
      '--format=json',
      '--progress-spinner=off',
      '--vulnerability-service=osv',
      '--osv-url=http://127.0.0.1:9/v1/query',
    ]);
    expect(() => pipAuditArgs({ requirements: '-r' })).toThrow(
      'refusing to pass the requirements file path to a tool: "-r" starts with "-"',
    );
  });

  const pkg = (
    name: string,
    version: string | undefined,
    extra: Partial<Package> = {},
  ): Package => ({
    ecosystem: 'PyPI',
    name,
    ...(version === undefined ? {} : { version }),
    purl: formatPurl('PyPI', name, version),
    direct: true,
    dev: false,
    optional: false,
    paths: [],
    location: { file: 'poetry.lock', line: 1 },
    source: { type: 'registry' },
    ...extra,
  });

  it('writes exact pins only, from validated names and versions', () => {
    expect(
      requirementsFromPackages([
        pkg('requests', '2.19.0'),
        pkg('django', '3.2.9'),
        pkg('requests', '2.19.0'),
        pkg('unpinned', undefined),
        pkg('mylib', '0.1.0', { local: true }),
        pkg('gitdep', '1.0', { source: { type: 'git', url: 'https://git.example.com/x.git' } }),
        pkg('evil\n--index-url', '1.0'),
        pkg('ok', '1.0; os_name=="nt"'),
      ]),
    ).toEqual({
      ok: true,
      text: 'django==3.2.9\nrequests==2.19.0\n',
      skipped: [
        'unpinned (no exact version)',
        'mylib==0.1.0 (local package)',
        'gitdep==1.0 (git package)',
        '"evil\\n--index-url==1.0" (not a valid name or version)',
        '"ok==1.0; os_name==\\"nt\\"" (not a valid name or version)',
      ],
    });
    expect(requirementsFromPackages([])).toEqual({
      ok: false,
      reason: 'no package with an exact version to audit',
    });
  });

  it.each([
    ['ghsa-X84V-xcm2-53pg', 'GHSA-x84v-xcm2-53pg'],
    ['x84v-xcm2-53pg', 'GHSA-x84v-xcm2-53pg'],
    ['pysec-2018-28', 'PYSEC-2018-28'],
    ['CVE-2018-18074', 'CVE-2018-18074'],
    ['PYSEC-2018-28', 'PYSEC-2018-28'],
  ])('completeId(%s)', (id, expected) => {
    expect(completeId(id)).toBe(expected);
  });
});
