// PyPI package names as PyPI compares them: PEP 503 normalisation
// (https://peps.python.org/pep-0503/#normalized-names).

/** `Foo.Bar__baz` → `foo-bar-baz`. Linear: one pass, no backtracking. */
export function normalizePypiName(name: string): string {
  let out = '';
  let inRun = false;
  for (const ch of name.toLowerCase()) {
    if (ch === '-' || ch === '_' || ch === '.') {
      if (!inRun) out += '-';
      inRun = true;
    } else {
      out += ch;
      inRun = false;
    }
  }
  return out;
}

/** PEP 508 names: letters, digits, `-`, `_`, `.`, starting and ending with a letter or digit. */
export function isValidPypiName(name: string): boolean {
  if (name.length === 0 || name.length > 512) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (alnum) continue;
    if ((c === 45 || c === 46 || c === 95) && i > 0 && i < name.length - 1) continue;
    return false;
  }
  return true;
}
