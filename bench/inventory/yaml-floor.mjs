// The bare YAML parse the floor uses: the same library and options as decode/yaml.ts.
import yaml from 'js-yaml';

export function parseYamlFloor(text) {
  return yaml.load(text);
}
