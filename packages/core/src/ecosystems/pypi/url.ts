// URLs from untrusted files are data: recorded without credentials, never fetched.

/**
 * Remove the userinfo (`user:token@`) of every `scheme://user@host` in a text. Linear: for each
 * `://`, the authority ends at the first `/`, `?`, `#` or whitespace, and everything up to its
 * last `@` goes.
 */
export function stripCredentials(text: string): string {
  let out = '';
  let from = 0;
  let at = text.indexOf('://');
  while (at !== -1) {
    const start = at + 3;
    let end = start;
    let lastAt = -1;
    while (end < text.length) {
      const ch = text.charCodeAt(end);
      // '/', '?', '#', space, tab, CR, LF, quote
      if (
        ch === 47 ||
        ch === 63 ||
        ch === 35 ||
        ch === 32 ||
        ch === 9 ||
        ch === 13 ||
        ch === 10 ||
        ch === 34
      )
        break;
      if (ch === 64) lastAt = end;
      end++;
    }
    out += text.slice(from, start);
    from = lastAt === -1 ? start : lastAt + 1;
    at = text.indexOf('://', end);
  }
  return out + text.slice(from);
}

/** Full (40 or 64 hex digits) git object id. */
export function isCommitHash(value: string): boolean {
  if (value.length !== 40 && value.length !== 64) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}
