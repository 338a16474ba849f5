import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readZip } from '../../decode/zip.js';
import { ECOSYSTEMS, type Ecosystem } from '../../model/index.js';
import { classifyRecordBytes, classifyScanned } from './records.js';
import { scanRecord } from './scan-json.js';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '__fixtures__', 'osv');

/** What the one-pass scan decides, in the shape of the JSON.parse-based classification. */
function viaScan(bytes: Buffer, ecosystem: Ecosystem): { verdict: unknown; minified?: string } {
  const out = Buffer.alloc(bytes.length + 8, 0xff);
  const s = scanRecord(bytes, out, 3);
  if (s.kind === 'too-deep') return { verdict: 'too-deep' };
  if (s.kind === 'invalid')
    return { verdict: { kind: 'skipped', id: undefined, reason: s.reason } };
  const minified = out.toString('utf8', 3, 3 + s.record.length);
  return { verdict: classifyScanned(s.record, ecosystem), minified };
}

function viaParse(bytes: Buffer, ecosystem: Ecosystem): unknown {
  const c = classifyRecordBytes(bytes, ecosystem);
  if (c.kind === 'skipped') return c;
  return { kind: 'ok', id: c.id, modified: c.modified, names: c.names };
}

/** The scan must agree with JSON.parse on every input, and minify to the same value. */
function agrees(text: string | Buffer, ecosystem: Ecosystem = 'npm'): void {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const scanned = viaScan(bytes, ecosystem);
  expect(scanned.verdict, bytes.toString('utf8')).toEqual(viaParse(bytes, ecosystem));
  if (scanned.minified !== undefined) {
    const original: unknown = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
    expect(JSON.parse(scanned.minified)).toEqual(original);
    expect(scanned.minified).not.toMatch(/^\s|\s$/);
  }
}

const npm = (name: unknown, extra = ''): string =>
  `{"id":"GHSA-1","modified":"2024-01-01T00:00:00Z",${extra}"affected":[{"package":{"ecosystem":"npm","name":${JSON.stringify(name)}}}]}`;

describe('scanRecord agrees with JSON.parse + classifyRecord', () => {
  it.each([
    ['a plain record', npm('lodash')],
    ['pretty-printed', JSON.stringify(JSON.parse(npm('lodash')), null, 2)],
    ['a BOM', `\uFEFF${npm('a')}`],
    [
      'escapes in values and keys',
      '{"\\u0069d":"GHSA-\\u0031","affected":[{"package":{"ecosystem":"npm","na\\u006de":"a\\"b\\\\c\\/d\\n"}}]}',
    ],
    [
      'duplicate keys (the last wins)',
      '{"id":"A","id":"B","affected":[{"package":{"ecosystem":"npm","name":"x"},"package":{"ecosystem":"npm","name":"y"}}],"modified":"1","modified":2}',
    ],
    [
      'a later affected that is not an array',
      '{"id":"A","affected":[{"package":{"ecosystem":"npm","name":"x"}}],"affected":{}}',
    ],
    ['a package that is an array', '{"id":"A","affected":[{"package":["npm","x"]},[],1,null]}'],
    [
      'a suffixed ecosystem and PyPI names',
      '{"id":"A","affected":[{"package":{"ecosystem":"PyPI:3","name":"Py_Yaml"}}]}',
    ],
    [
      'numbers of every form',
      '{"id":"A","n":[0,-0,1.5,-2e10,3E+2,4e-2,12345678901234567890123],"affected":[{"package":{"ecosystem":"npm","name":"x"}}]}',
    ],
    [
      'literals and nesting',
      '{"id":"A","x":{"a":[true,false,null,{"b":[[]]}]},"affected":[{"package":{"ecosystem":"npm","name":"x","purl":null}}]}',
    ],
    [
      'an id with a control character (escaped)',
      '{"id":"A\\u0001","affected":[{"package":{"ecosystem":"npm","name":"x"}}]}',
    ],
    [
      'an id that is not a string',
      '{"id":5,"affected":[{"package":{"ecosystem":"npm","name":"x"}}]}',
    ],
    [
      'a __proto__ key',
      '{"__proto__":{"id":"B"},"id":"A","affected":[{"package":{"ecosystem":"npm","name":"x"}}]}',
    ],
    ['no affected', '{"id":"A"}'],
    ['empty affected', '{"id":"A","affected":[]}'],
    ['another ecosystem', '{"id":"A","affected":[{"package":{"ecosystem":"Go","name":"x"}}]}'],
    ['an array root', '[1,2]'],
    ['a string root', '"x"'],
    ['non-ASCII text', npm('paquet-é-中', '"summary":"naïve 💥",')],
  ])('%s', (_name, text) => {
    for (const eco of ECOSYSTEMS) agrees(text, eco);
  });

  it.each([
    ['empty', ''],
    ['whitespace only', ' \n'],
    ['a trailing comma', '{"id":"A",}'],
    ['a trailing comma in an array', '{"id":"A","affected":[1,]}'],
    ['two values', '{"id":"A"} {}'],
    ['single quotes', "{'id':'A'}"],
    ['a raw newline in a string', '{"id":"A\nB"}'],
    ['a raw tab in a string', '{"id":"A\tB"}'],
    ['a bad escape', '{"id":"A\\x41"}'],
    ['a short unicode escape', '{"id":"\\u12"}'],
    ['a leading zero', '{"n":01}'],
    ['a bare minus', '{"n":-}'],
    ['a dot without digits', '{"n":1.}'],
    ['an exponent without digits', '{"n":1e}'],
    ['a plus sign', '{"n":+1}'],
    ['NaN', '{"n":NaN}'],
    ['a truncated literal', '{"n":tru}'],
    ['an unterminated string', '{"id":"A'],
    ['an unterminated object', '{"id":"A"'],
    ['a missing colon', '{"id" "A"}'],
    ['a key that is not a string', '{id:"A"}'],
    ['a vertical tab as whitespace', '{\u000b"id":"A"}'],
  ])('rejects %s as invalid JSON', (_name, text) => {
    agrees(text);
    expect(viaScan(Buffer.from(text), 'npm').verdict).toMatchObject({ reason: 'invalid JSON' });
  });

  it('rejects bytes that are not UTF-8', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"id":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    agrees(bytes);
    expect(viaScan(bytes, 'npm').verdict).toMatchObject({ reason: 'not valid UTF-8' });
  });

  it('leaves records nested deeper than 64 levels to JSON.parse', () => {
    const deep = `{"id":"A","x":${'['.repeat(80)}${']'.repeat(80)}}`;
    expect(viaScan(Buffer.from(deep), 'npm').verdict).toBe('too-deep');
  });

  it('agrees on every one-byte corruption of a record', () => {
    const text = JSON.stringify(
      JSON.parse(npm('x', '"n":[1.5e3,true,null],"s":"a\\"\\u00e9",')),
      null,
      1,
    );
    const replacements = [0x20, 0x22, 0x2c, 0x3a, 0x5b, 0x5d, 0x7b, 0x7d, 0x5c, 0x30, 0x0a, 0x65];
    for (let i = 0; i < text.length; i++) {
      for (const r of replacements) {
        const bytes = Buffer.from(text, 'utf8');
        bytes[i] = r;
        agrees(bytes);
      }
      agrees(Buffer.from(text.slice(0, i)));
    }
  });

  it('agrees on every record of the real OSV exports in the fixtures', async () => {
    let count = 0;
    for (const eco of ECOSYSTEMS) {
      await readZip(join(FIXTURES, eco, 'all.zip'), async (entry, reader) => {
        if (!entry.name.endsWith('.json')) return;
        agrees(await reader.readBytes(), eco);
        count++;
      });
    }
    expect(count).toBeGreaterThan(300);
  });
});
