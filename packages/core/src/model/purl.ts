// Package URLs (https://github.com/package-url/purl-spec/blob/v1.0.0/PURL-SPECIFICATION.rst).
import { PURL_TYPES, type Ecosystem } from './ecosystem.js';

function encodeSegment(value: string): string {
  // encodeURIComponent leaves !'()* alone; the purl spec percent-encodes everything but unreserved.
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * `pkg:npm/%40scope/name@1.0.0`-style purl. npm scopes become the namespace; PyPI names are
 * expected already normalised by the caller.
 */
export function formatPurl(
  ecosystem: Ecosystem,
  name: string,
  version?: string,
  qualifiers?: Readonly<Record<string, string>>,
): string {
  const type = PURL_TYPES[ecosystem];
  let path: string;
  if (ecosystem === 'npm' && name.startsWith('@') && name.includes('/')) {
    const slash = name.indexOf('/');
    path = `${encodeSegment(name.slice(0, slash))}/${encodeSegment(name.slice(slash + 1))}`;
  } else {
    path = encodeSegment(name);
  }
  let purl = `pkg:${type}/${path}`;
  if (version !== undefined && version !== '') purl += `@${encodeSegment(version)}`;
  if (qualifiers) {
    const keys = Object.keys(qualifiers)
      .filter((k) => qualifiers[k] !== undefined && qualifiers[k] !== '')
      .sort();
    if (keys.length > 0) {
      purl += `?${keys.map((k) => `${k}=${encodeSegment(qualifiers[k] ?? '')}`).join('&')}`;
    }
  }
  return purl;
}
