/** Small manifests shared by the engine tests. */
export const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: tools
spec:
  containers:
    - name: shell
      image: busybox:1.36
      securityContext:
        privileged: true
`;

export function withLinesAbove(yaml: string, n: number): string {
  return `${Array.from({ length: n }, (_, i) => `# comment ${i}`).join("\n")}\n${yaml}`;
}
