// Rendering an Inventory for `supplyaudit inventory`: the JSON contract of DESIGN.md, a table for
// terminals, and the one-line diagnostics printed on stderr.
import type { Diagnostic, Inventory, InventoriedProject, Package } from '@supplyaudit/core';
import Table from 'cli-table3';

export const INVENTORY_FORMATS = ['table', 'json'] as const;
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];

/** Control characters (newlines in file names) shown escaped, so one diagnostic stays one line. */
export function escapeControl(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (code >= 0x20 && code !== 0x7f) out += c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else out += `\\x${code.toString(16).padStart(2, '0')}`;
  }
  return out;
}

export function formatDiagnosticLine(d: Diagnostic): string {
  const where = d.line === undefined ? d.file : `${d.file}:${String(d.line)}`;
  return `${escapeControl(where)}: ${d.level === 'warning' ? 'warning: ' : ''}${escapeControl(d.message)}`;
}

/** Every diagnostic, project ones first in project order, then those of the walk. */
export function allDiagnostics(inv: Inventory): Diagnostic[] {
  return [...inv.projects.flatMap((p) => p.diagnostics), ...inv.diagnostics];
}

/** 3 when some file could not be read or parsed (the rest is still reported), else 0. */
export function inventoryExitCode(inv: Inventory): 0 | 3 {
  return allDiagnostics(inv).some((d) => d.level === 'error') ? 3 : 0;
}

function packageJson(p: Package) {
  return {
    name: p.name,
    version: p.version ?? null,
    purl: p.purl,
    direct: p.direct,
    dev: p.dev,
    location: { file: p.location.file, line: p.location.line },
    source: p.source,
  };
}

function diagnosticJson(d: Diagnostic) {
  return {
    file: d.file,
    line: d.line ?? null,
    message: d.message,
    code: d.code ?? null,
  };
}

/**
 * `{ projects: [{ ecosystem, manifest, lockfile, packages: [...] }], errors, warnings }`:
 * absent manifest/lockfile/version are `null`; diagnostics sit in top-level `errors` and `warnings`.
 */
export function inventoryToJson(inv: Inventory): string {
  const diagnostics = allDiagnostics(inv);
  const doc = {
    projects: inv.projects.map((p) => ({
      ecosystem: p.ecosystem,
      manifest: p.manifest ?? null,
      lockfile: p.lockfile ?? null,
      packages: p.packages.map(packageJson),
    })),
    errors: diagnostics.filter((d) => d.level === 'error').map(diagnosticJson),
    warnings: diagnostics.filter((d) => d.level === 'warning').map(diagnosticJson),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function scope(p: Package): string {
  if (p.local === true) return 'local';
  const kind = p.dev ? 'dev' : p.optional ? 'optional' : 'prod';
  return p.direct ? `${kind}, direct` : kind;
}

function projectHeader(p: InventoriedProject): string {
  const file = p.lockfile ?? p.manifest ?? p.dir;
  const parts = [
    ...(p.lockfile !== undefined && p.manifest !== undefined ? [`manifest ${p.manifest}`] : []),
    ...(p.lockfile === undefined ? ['no lockfile'] : []),
    ...(p.members === undefined || p.members.length === 0
      ? []
      : [`${String(p.members.length)} member${p.members.length === 1 ? '' : 's'}`]),
    p.parsed
      ? `${String(p.packages.length)} package${p.packages.length === 1 ? '' : 's'}`
      : 'not read',
  ];
  return `${p.ecosystem} ${escapeControl(file)} (${parts.join(', ')})`;
}

export function renderInventoryTable(inv: Inventory): string {
  const out: string[] = [];
  for (const project of inv.projects) {
    out.push(projectHeader(project));
    if (project.packages.length > 0) {
      const table = new Table({
        head: ['name', 'version', 'scope', 'location'],
        style: { head: [], border: [], compact: true },
      });
      for (const p of project.packages) {
        table.push([
          escapeControl(p.name),
          escapeControl(p.version ?? p.specifier ?? ''),
          scope(p),
          escapeControl(`${p.location.file}:${String(p.location.line)}`),
        ]);
      }
      out.push(table.toString());
    }
    out.push('');
  }
  const total = inv.projects.reduce((n, p) => n + p.packages.length, 0);
  const byEcosystem = new Map<string, number>();
  for (const p of inv.projects)
    byEcosystem.set(p.ecosystem, (byEcosystem.get(p.ecosystem) ?? 0) + p.packages.length);
  const unread = inv.projects.filter((p) => !p.parsed).length;
  const counts = [...byEcosystem].map(([eco, n]) => `${eco} ${String(n)}`).join(', ');
  out.push(
    inv.projects.length === 0
      ? 'No manifests or lockfiles found.'
      : `${String(total)} package${total === 1 ? '' : 's'} in ${String(inv.projects.length)} project${inv.projects.length === 1 ? '' : 's'} (${counts})${unread > 0 ? `; ${String(unread)} not read` : ''}`,
  );
  return `${out.join('\n')}\n`;
}
