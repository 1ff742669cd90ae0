/** A reason the build cannot render a kustomization; caught at the API boundary and returned, never thrown out. */
export class BuildFailure extends Error {
  override name = "BuildFailure";
}
