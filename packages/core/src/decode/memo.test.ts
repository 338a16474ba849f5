import { describe, expect, it } from 'vitest';
import { parseJson } from './json.js';
import { withParseMemo } from './memo.js';
import { parseToml } from './toml.js';

describe('withParseMemo', () => {
  const json = '{"packages": {"": {"name": "app"}}}';

  it('parses each text once while open, and again after', async () => {
    const first = parseJson(json, 'a.json');
    const [inside, again, other] = await withParseMemo(() =>
      Promise.resolve([
        parseJson(json, 'a.json'),
        parseJson(`${json.slice(0, -1)}}`, 'b.json'),
        parseJson('{"packages": {}}', 'c.json'),
      ]),
    );
    expect(again).toBe(inside);
    expect(other).not.toBe(inside);
    expect(inside).not.toBe(first);
    expect(inside).toEqual(first);
    expect(parseJson(json, 'a.json')).not.toBe(inside);
  });

  it('stays open until the last concurrent task ends', async () => {
    const toml = 'name = "x"\n';
    let release = (): void => undefined;
    const long = withParseMemo(
      () =>
        new Promise<unknown>((resolve) => {
          release = () => {
            resolve(parseToml(toml, 'Cargo.toml'));
          };
        }),
    );
    const short = await withParseMemo(() => Promise.resolve(parseToml(toml, 'Cargo.toml')));
    release();
    expect(await long).toBe(short);
    expect(parseToml(toml, 'Cargo.toml')).not.toBe(short);
  });

  it('keeps no failed parse: the error comes back with each file name', async () => {
    await withParseMemo(() => {
      expect(() => parseJson('{', 'x.json')).toThrow(
        "x.json:1: invalid JSON (Expected property name or '}')",
      );
      expect(() => parseJson('{', 'y.json')).toThrow(
        "y.json:1: invalid JSON (Expected property name or '}')",
      );
      return Promise.resolve();
    });
  });
});
