import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "./config.js";
import { Policy } from "./policy.js";
import { ALL_RULES, RULE_IDS } from "../rules/index.js";

describe("default production paths", () => {
  const policy = new Policy(parseConfig({}, RULE_IDS), ALL_RULES);

  it("include regional production directories and files named prod-…", () => {
    for (const p of ["environments/prod/app.yaml", "environments/prod-eu/kustomization.yaml", "clusters/production-us/apps.yaml", "argocd/prod-us-east-1.yaml", "apps/web-prod.yaml"]) {
      expect([p, policy.isProduction(p)]).toEqual([p, true]);
    }
  });

  it("spell every prod file name out as production too", () => {
    for (const p of ["applications/demo-app-go-production.yaml", "apps/values.production.yaml", "argocd/production-us-east-1.yml"]) {
      expect([p, policy.isProduction(p)]).toEqual([p, true]);
    }
  });

  it("leave out non-production names that merely contain prod", () => {
    for (const p of ["environments/non-prod/app.yaml", "environments/pre-prod/app.yaml", "apps/product-catalog/deploy.yaml", "environments/staging/app.yaml", "argocd/production.md"]) {
      expect([p, policy.isProduction(p)]).toEqual([p, false]);
    }
  });
});
