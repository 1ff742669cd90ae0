/** The build as YAML, the way `kubectl kustomize` prints it: objects in build order, keys sorted, `---` between. */
import { stringify } from "yaml";

export function printYaml(values: readonly Record<string, unknown>[]): string {
  return values
    .map((v) => stringify(v, { sortMapEntries: true, indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false }))
    .join("---\n");
}
