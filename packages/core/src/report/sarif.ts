// SARIF 2.1.0 as GitHub code scanning reads it: one rule per advisory or check, results on the
// lockfile or manifest line, partialFingerprints from our fingerprints, security-severity from
// the score. Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/sarif-v2.1.0-os.html
// GitHub: https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
import type { Finding, Report, Severity } from '../model/index.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  unknown: 'warning',
};

/** Used when no CVSS score exists; GitHub maps >9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, else low. */
const DEFAULT_SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
  unknown: '5.0',
};

/** A relative path as a URI reference: each segment percent-encoded (spaces, newlines, `#`, `?`). */
export function toSarifUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function ruleId(f: Finding): string {
  return f.kind === 'vulnerability' || f.kind === 'malicious' ? f.id : `${f.kind}/${f.id}`;
}

function securitySeverity(f: Finding): string {
  if (f.kind === 'malicious') return '10.0';
  return f.cvss === undefined ? DEFAULT_SECURITY_SEVERITY[f.severity] : f.cvss.score.toFixed(1);
}

function helpText(f: Finding): string {
  const lines = [f.summary || f.message];
  if (f.aliases.length > 0) lines.push(`Aliases: ${f.aliases.join(', ')}`);
  if (f.fixedVersions.length > 0 && f.package !== undefined) {
    lines.push(`Fix: upgrade ${f.package.name} to ${f.fixedVersions.join(' or ')}.`);
  } else if (f.kind === 'vulnerability') {
    lines.push(
      'Fix: no fixed version is known; remove or replace the package, or accept the risk with a reasoned ignore.',
    );
  } else if (f.kind === 'malicious') {
    lines.push(
      'Fix: remove the package now, rotate any secrets the install could read, and rebuild from a clean lockfile.',
    );
  }
  return lines.join('\n');
}

function helpUri(f: Finding): string | undefined {
  if (f.kind !== 'vulnerability' && f.kind !== 'malicious') return undefined;
  return `https://osv.dev/vulnerability/${encodeURIComponent(f.id)}`;
}

export interface SarifOptions {
  /** informationUri of the tool */
  readonly informationUri?: string;
}

export function renderSarif(report: Report, options: SarifOptions = {}): string {
  const rules: Record<string, unknown>[] = [];
  const ruleIndex = new Map<string, number>();
  const results: Record<string, unknown>[] = [];
  for (const f of report.findings) {
    const id = ruleId(f);
    let index = ruleIndex.get(id);
    if (index === undefined) {
      index = rules.length;
      ruleIndex.set(id, index);
      const uri = helpUri(f);
      const text = helpText(f);
      rules.push({
        id,
        name: id,
        shortDescription: { text: (f.summary || f.message).slice(0, 1024) || id },
        fullDescription: { text: f.message || f.summary || id },
        ...(uri === undefined ? {} : { helpUri: uri }),
        help: { text, markdown: text.replace(/\n/g, '\n\n') },
        defaultConfiguration: { level: LEVEL[f.severity] },
        properties: {
          tags: ['security', 'supply-chain', f.kind],
          'security-severity': securitySeverity(f),
          precision: f.kind === 'vulnerability' || f.kind === 'malicious' ? 'very-high' : 'high',
          ...(f.aliases.length > 0 ? { aliases: [...f.aliases] } : {}),
        },
      });
    }
    const location = f.location;
    results.push({
      ruleId: id,
      ruleIndex: index,
      level: f.kind === 'malicious' ? 'error' : LEVEL[f.severity],
      message: { text: f.message || f.summary || id },
      ...(location === undefined
        ? {}
        : {
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: toSarifUri(location.file), uriBaseId: '%SRCROOT%' },
                  region: { startLine: location.line },
                },
              },
            ],
          }),
      partialFingerprints: { 'supplyaudit/v1': f.fingerprint },
      ...(f.ignored === undefined
        ? {}
        : { suppressions: [{ kind: 'external', justification: f.ignored.reason }] }),
      properties: {
        kind: f.kind,
        severity: f.severity,
        sources: [...f.sources],
        ...(f.package === undefined ? {} : { purl: f.package.purl }),
        ...(f.fixedVersions.length > 0 ? { fixedVersions: [...f.fixedVersions] } : {}),
        ...(f.paths.length > 0 ? { paths: f.paths.map((p) => p.join(' > ')) } : {}),
      },
    });
  }
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: options.informationUri ?? 'https://github.com/supplyaudit/supplyaudit',
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: './' } },
        automationDetails: { id: 'supplyaudit/' },
        invocations: [
          {
            executionSuccessful: report.complete,
            startTimeUtc: report.startedAt,
            toolExecutionNotifications: report.sources
              .filter((s) => s.status !== 'ok')
              .map((s) => ({
                level: s.status === 'failed' ? 'error' : 'note',
                message: {
                  text: `${s.name} ${s.status}${s.reason === undefined ? '' : `: ${s.reason}`}`,
                },
              })),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
