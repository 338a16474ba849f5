// Package URLs (https://github.com/package-url/purl-spec/blob/v1.0.0/PURL-SPECIFICATION.rst).
import { PURL_TYPES, type Ecosystem } from './ecosystem.js';

/** Unreserved characters (RFC 3986): A-Z a-z 0-9 - . _ ~, which no encoding changes. */
function isUnreserved(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!(
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2d ||
      c === 0x2e ||
      c === 0x5f ||
      c === 0x7e
    ))
      return false;
  }
  return true;
}

function encodeSegment(value: string): string {
  // Most names and versions need no encoding: skip building a new string for them.
  if (isUnreserved(value)) return value;
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
