// osls plugin: `osls package` and `osls deploy` bundle the functions first (scripts/lambda-bundle.mjs), so a zip
// never holds a stale bundle, and fail when a zip exceeds the 5 MB budget.
import { stat } from "node:fs/promises";
import { bundleLambdas, MAX_ZIP_BYTES } from "./lambda-bundle.mjs";

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

export default class GitopsGuardBundle {
  constructor(serverless, _options, { log }) {
    this.serverless = serverless;
    this.log = log;
    this.hooks = {
      "before:package:createDeploymentArtifacts": () => this.bundle(),
      "before:deploy:function:packageFunction": () => this.bundle(),
      "after:package:createDeploymentArtifacts": () => this.checkZips(),
    };
  }

  async bundle() {
    const bundles = await bundleLambdas({ root: this.serverless.serviceDir });
    for (const b of bundles) this.log.notice(`gitops-guard: bundled ${b.name} (${mb(b.bytes)}, ${b.packages.length} packages)`);
  }

  async checkZips() {
    const service = this.serverless.service;
    for (const name of service.getAllFunctions()) {
      const artifact = service.getFunction(name).package?.artifact;
      if (!artifact) continue;
      const { size } = await stat(artifact);
      if (size > MAX_ZIP_BYTES) throw new Error(`gitops-guard: ${name}.zip is ${mb(size)}, over the ${mb(MAX_ZIP_BYTES)} budget`);
      this.log.notice(`gitops-guard: ${name}.zip ${mb(size)}`);
    }
  }
}
