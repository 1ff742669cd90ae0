/**
 * An ApplicationSet with one list generator: one element per project (`app-N`, its `project`, and `replace: "true"` for
 * the second element only), a templated project and the sync option given.
 */
export const listApplicationSet = (option: string, projects: readonly string[]): string =>
  [
    "apiVersion: argoproj.io/v1alpha1",
    "kind: ApplicationSet",
    "metadata: {name: charts}",
    "spec:",
    "  generators:",
    "    - list:",
    "        elements:",
    ...projects.flatMap((p, i) => [`          - app: app-${i}`, `            project: ${p}`, `            replace: "${i === 1 ? "true" : "false"}"`]),
    "  template:",
    "    metadata: {name: '{{app}}'}",
    "    spec:",
    "      project: '{{project}}'",
    "      source: {repoURL: https://github.com/acme/charts, path: '{{app}}', targetRevision: v1.0.0}",
    "      destination: {name: workload-1, namespace: '{{app}}'}",
    `      syncPolicy: {syncOptions: ['${option}']}`,
    "",
  ].join("\n");
