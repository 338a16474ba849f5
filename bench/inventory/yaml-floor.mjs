// The bare YAML parse the floor uses: the same library as decode/yaml.ts (js-yaml) with the
// failsafe schema it builds on, without our guards (anchors, depth, plain-data checks).
import yaml from 'js-yaml';

export function parseYamlFloor(text) {
  return yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA });
}
