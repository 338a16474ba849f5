// Which gems a Gemfile declares only for development or test. A Gemfile is Ruby, so this is a
// cheap line reading of the common forms (`group :development, :test do ... end`,
// `gem "x", group: :test`), not an interpreter; anything it does not understand counts as shipped.

const DEV_GROUPS = new Set(['development', 'test']);

/** A block opened by a line: a `group` block carries its groups, others carry none. */
interface Block {
  readonly groups: readonly string[];
}

/**
 * Gem names whose every declaration sits in development/test groups only. Linear in the text;
 * the line-level checks use indexOf and slices, no regular expression over a whole line.
 */
export function readDevOnlyGems(gemfile: string): Set<string> {
  const declarations = new Map<string, boolean[]>();
  const stack: Block[] = [];
  let start = 0;
  while (start <= gemfile.length) {
    let end = gemfile.indexOf('\n', start);
    if (end === -1) end = gemfile.length;
    const line = stripComment(gemfile.slice(start, end)).trim();
    start = end + 1;
    if (line === '') continue;
    const word = firstWord(line);
    if (word === 'end') {
      stack.pop();
      continue;
    }
    if (word === 'gem') {
      const name = firstString(line.slice(3));
      if (name === undefined) continue;
      const own = optionGroups(line);
      const groups = own ?? stack.flatMap((b) => b.groups);
      const isDev = groups.length > 0 && groups.every((g) => DEV_GROUPS.has(g));
      const list = declarations.get(name);
      if (list === undefined) declarations.set(name, [isDev]);
      else list.push(isDev);
      continue;
    }
    if (opensBlock(line, word)) {
      stack.push({
        groups: word === 'group' ? symbols(line.slice(5, line.lastIndexOf(' do'))) : [],
      });
    }
  }
  const devOnly = new Set<string>();
  for (const [name, list] of declarations) if (list.every(Boolean)) devOnly.add(name);
  return devOnly;
}

function stripComment(line: string): string {
  const hash = line.indexOf('#');
  if (hash === -1) return line;
  // `"#{...}"` interpolation is not a comment; a `#` after whitespace or at the start is.
  if (hash === 0 || line[hash - 1] === ' ' || line[hash - 1] === '\t') return line.slice(0, hash);
  return line;
}

function firstWord(line: string): string {
  let i = 0;
  while (i < line.length && /[a-z_]/.test(line.charAt(i))) i++;
  return line.slice(0, i);
}

const BLOCK_STATEMENTS = new Set(['if', 'unless', 'case', 'begin', 'while', 'until']);

function opensBlock(line: string, word: string): boolean {
  if (BLOCK_STATEMENTS.has(word)) return true;
  if (line.endsWith(' do') || line === 'do') return true;
  // `do |x|`
  const doAt = line.lastIndexOf(' do |');
  return doAt !== -1 && line.endsWith('|');
}

/** First quoted string: `"rails"`, `'rails'`, `("rails"`. */
function firstString(text: string): string | undefined {
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '(')) i++;
  const quote = text[i];
  if (quote !== '"' && quote !== "'") return undefined;
  const close = text.indexOf(quote, i + 1);
  if (close === -1) return undefined;
  return text.slice(i + 1, close);
}

/** `group: :test`, `groups: [:development, :test]`, `:group => :test`; undefined when absent. */
function optionGroups(line: string): string[] | undefined {
  for (const key of ['groups:', 'group:', ':groups =>', ':group =>']) {
    const at = line.indexOf(key);
    if (at === -1) continue;
    const rest = line.slice(at + key.length).trimStart();
    const stop = rest.startsWith('[') ? rest.indexOf(']') : nextComma(rest);
    return symbols(stop === -1 ? rest : rest.slice(0, stop));
  }
  return undefined;
}

function nextComma(text: string): number {
  return text.indexOf(',');
}

/** Drops leading `(` `[` and trailing `)` `]` (a loop: no regex backtracking on long runs). */
function trimBrackets(text: string): string {
  let from = 0;
  let to = text.length;
  while (from < to && (text[from] === '(' || text[from] === '[')) from++;
  while (to > from && (text[to - 1] === ')' || text[to - 1] === ']')) to--;
  return text.slice(from, to).trim();
}

/** `:development, "test", [:x]` → names; stops at keyword options such as `optional: true`. */
function symbols(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(',')) {
    const part = trimBrackets(raw.trim());
    if (part.startsWith(':')) out.push(part.slice(1));
    else if (part.length >= 2 && (part[0] === '"' || part[0] === "'") && part.endsWith(part[0])) {
      out.push(part.slice(1, -1));
    }
  }
  return out;
}
