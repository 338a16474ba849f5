// The real cargo-audit (built by .ci/install-native-tools.sh) through the cargo-audit source, on
// a Cargo.lock made by cargo, with a RustSec database in its own format and no fetching.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTool } from '../../exec/index.js';
import type { InventoriedProject } from '../../model/index.js';
import { createNativeSource } from '../../sources/native-source.js';
import type { SourceContext } from '../../sources/types.js';
import { cargoAuditAdapter } from './audit-adapter.js';

const hostEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'] };
const tool = await findTool('cargo-audit', {
  hostEnv,
  forbiddenRoots: [],
  versionArgs: ['audit', '--version'],
});
const DB = fileURLToPath(new URL('./__fixtures__/native/rustsec-db/', import.meta.url));
let root: string;

const project: InventoriedProject = {
  ecosystem: 'crates.io',
  dir: 'rs',
  manifest: 'rs/Cargo.toml',
  lockfile: 'rs/Cargo.lock',
  parsed: true,
  diagnostics: [],
  packages: [],
};
const ctx = (extra: Partial<SourceContext> = {}): SourceContext => ({
  root,
  hostEnv,
  offline: true,
  timeoutMs: 60_000,
  tools: { 'cargo-audit': { db: DB } },
  ...extra,
});

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sa-cargo-audit-'));
  mkdirSync(join(root, 'rs/.cargo'), { recursive: true });
  copyFileSync(
    new URL('./__fixtures__/native/project-smallvec/Cargo.lock', import.meta.url),
    join(root, 'rs/Cargo.lock'),
  );
  copyFileSync(
    new URL('./__fixtures__/native/project-smallvec/Cargo.toml', import.meta.url),
    join(root, 'rs/Cargo.toml'),
  );
  // A hostile repository config: an alias for `cargo audit` and an audit.toml hiding the advisories.
  writeFileSync(
    join(root, 'rs/.cargo/config.toml'),
    '[alias]\naudit = ["run", "--bin", "pwned"]\n',
  );
  writeFileSync(
    join(root, 'rs/.cargo/audit.toml'),
    '[advisories]\nignore = ["RUSTSEC-2021-0003", "RUSTSEC-2020-0071"]\n',
  );
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(tool.status !== 'ok')(
  `cargo-audit (real${tool.status === 'ok' ? ` ${tool.version ?? ''}` : ', not installed: skipped'})`,
  () => {
    it('finds the RustSec advisories offline with a local database, ignoring the repo config', async () => {
      const result = await createNativeSource(cargoAuditAdapter).run([project], ctx());
      expect(result.status).toBe('ok');
      expect(result.version).toBe('0.22.2');
      expect(
        result.advisories.map((a) => [
          a.kind,
          a.ids.join(' '),
          `${a.packageName}@${a.version ?? ''}`,
          a.fixedVersions.join(' | '),
        ]),
      ).toEqual([
        [
          'vulnerability',
          'RUSTSEC-2021-0003 CVE-2021-25900 GHSA-43w2-9j62-hq99',
          'smallvec@0.6.13',
          '>=0.6.14, <1.0.0 | >=1.6.1',
        ],
        [
          'vulnerability',
          'RUSTSEC-2020-0071 CVE-2020-26235 GHSA-wcg3-cvx6-7396',
          'time@0.1.43',
          '>=0.2.23',
        ],
      ]);
      expect(result.advisories[1]?.cvssVector).toBe('CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H');
    });

    it('fails clearly when the database directory is missing', async () => {
      const result = await createNativeSource(cargoAuditAdapter).run(
        [project],
        ctx({ tools: { 'cargo-audit': { db: join(root, 'no-db') } } }),
      );
      expect(result.status).toBe('failed');
      expect(result.reason).toBe(
        `rs/Cargo.lock: cargo audit printed nothing on stdout (exit 1): error: error loading advisory database: I/O operation failed: failed to read directory \`${join(root, 'no-db/crates')}\`: No such file or directory (os error 2) | Caused by: | -> failed to read directory \`${join(root, 'no-db/crates')}\`: No such file or directory (os error 2)`,
      );
    });

    it('is skipped offline without a local database', async () => {
      const result = await createNativeSource(cargoAuditAdapter).run([project], ctx({ tools: {} }));
      expect(result).toMatchObject({
        status: 'skipped',
        reason: 'offline: cargo audit needs to fetch the RustSec database (configure a local one)',
      });
    });
  },
);
