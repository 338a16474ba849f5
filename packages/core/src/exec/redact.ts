// Secrets never reach a message: tool output is redacted before anything quotes it.
// Every pattern is a single character class or literal run, linear on any input.

const REPLACEMENT = '***';

/** `scheme://user:pass@host` → `scheme://***@host`. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{0,30}:\/\/)[^\s/@'"]{1,512}@/gi;
/** npmrc-style and key=value credentials: `_authToken=...`, `password: ...`, `token=...`. */
const KEY_VALUE =
  /(_authToken|_auth|_password|password|passwd|token|secret|api[_-]?key|access[_-]?key|private[_-]?key)(["']?\s{0,4}[=:]\s{0,4}["']?)[^\s"',;]{1,2048}/gi;
/** `Authorization: Bearer x`, `authorization: ["Basic x"]`. */
const AUTH_HEADER =
  /\b(authorization|proxy-authorization)(["']?\s{0,4}[=:]\s{0,4}\[?\s{0,4}["']?)[^\r\n"'\]]{1,2048}/gi;
/** Well-known token formats that may appear anywhere. */
const TOKEN_SHAPES =
  /\b(gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255}|npm_[A-Za-z0-9]{30,255}|glpat-[A-Za-z0-9_-]{20,255}|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,255})\b/g;

/**
 * Redact credentials from text: URL userinfo, `key=value` secrets, authorization headers, known
 * token shapes, and every literal value in `secrets` (values the caller passed to the tool).
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Short values would redact ordinary words; real credentials are longer.
    if (secret.length >= 6) out = out.split(secret).join(REPLACEMENT);
  }
  return out
    .replace(URL_USERINFO, `$1${REPLACEMENT}@`)
    .replace(AUTH_HEADER, `$1$2${REPLACEMENT}`)
    .replace(KEY_VALUE, `$1$2${REPLACEMENT}`)
    .replace(TOKEN_SHAPES, REPLACEMENT);
}

/**
 * The part of a tool's stderr worth quoting in a one-line reason: redacted, control characters
 * removed, the last few non-empty lines (where tracebacks and `error` lines end) joined with ` | `,
 * at most `maxChars` characters.
 */
export function summarizeStderr(
  stderr: string,
  options: { secrets?: readonly string[]; maxLines?: number; maxChars?: number } = {},
): string {
  const maxLines = options.maxLines ?? 3;
  const maxChars = options.maxChars ?? 300;
  // Look only at the tail: a flood of stderr must not cost a scan of megabytes per message.
  const tail = stderr.length > 16_384 ? stderr.slice(-16_384) : stderr;
  const lines = redactSecrets(tail, options.secrets)
    .split(/\r?\n/)
    .map((l) => stripControl(l).trim())
    .filter((l) => l !== '');
  const picked = lines.slice(-maxLines).join(' | ');
  return picked.length > maxChars ? `${picked.slice(0, maxChars - 1)}…` : picked;
}

function stripControl(line: string): string {
  let out = '';
  for (const ch of line) {
    const c = ch.charCodeAt(0);
    out += c < 0x20 || c === 0x7f ? ' ' : ch;
  }
  return out;
}
