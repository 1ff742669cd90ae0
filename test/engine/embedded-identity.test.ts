/**
 * Literals inside one embedded text (an Application's `helm.values` string, a ConfigMap's `application.properties`) are
 * told apart by their key, not by their order (held-out round 19: a new password in `helm.values` was reported
 * existing and the review passed; an untouched token became new).
 */
import { describe, expect, it } from "@jest/globals";
import { grafanaApplication, lines, reviewRepo } from "./kustomize-helpers.js";

const app = (values: string[]): string => grafanaApplication("values: |", values);
const RULE = "secrets/sensitive-config-value";
const statuses = (r: ReturnType<typeof reviewRepo>): string[] => r.findings.filter((f) => f.ruleId === RULE).map((f) => `${f.status} ${f.message.match(/"([^"]+)" to a literal/)?.[1]} ${f.line}`).sort();

describe("embedded literals keep their identity by key", () => {
  const base = { "apps/grafana.yaml": app(["adminPassword: Zq8vN3xT6wLm", "smtp:", "  user: alerts", "ldap:", "  token: 7c2e9a4b1f6d48e3a05b8c7d2e1f9a6b"]) };

  it("replacing one literal by a reference and adding another: the new one is new, the replaced one fixed, the other existing", () => {
    const head = { "apps/grafana.yaml": app(["admin:", "  existingSecret: grafana-admin", "smtp:", "  user: alerts", "  password: Wq3rT8vZ2mPx", "ldap:", "  token: 7c2e9a4b1f6d48e3a05b8c7d2e1f9a6b"]) };
    const r = reviewRepo(base, head);
    expect(statuses(r)).toEqual(["existing token 18", "fixed adminPassword 12", "new password 16"]);
    expect(r.conclusion).toBe("failure");
  });

  it("a literal inserted above the others is the new one; those below keep their status", () => {
    const head = { "apps/grafana.yaml": app(["smtpPassword: Wq3rT8vZ2mPx", "adminPassword: Zq8vN3xT6wLm", "smtp:", "  user: alerts", "ldap:", "  token: 7c2e9a4b1f6d48e3a05b8c7d2e1f9a6b"]) };
    expect(statuses(reviewRepo(base, head))).toEqual(["existing adminPassword 13", "existing token 17", "new smtpPassword 12"]);
  });

  it("the same in a ConfigMap's embedded properties file", () => {
    const cm = (props: string[]) => lines("apiVersion: v1", "kind: ConfigMap", "metadata: {name: app-config, namespace: app}", "data:", "  application.properties: |", ...props.map((p) => `    ${p}`));
    const r = reviewRepo(
      { "app/cm.yaml": cm(["spring.datasource.password=Zq8vN3xT6wLm", "spring.mail.password=Hk4pW9sX2vNq"]) },
      { "app/cm.yaml": cm(["spring.mail.password=Hk4pW9sX2vNq", "stripe.api.secret-key=Wq3rT8vZ2mPxLc7y"]) },
    );
    expect(statuses(r)).toEqual(["existing spring.mail.password 6", "fixed spring.datasource.password 6", "new stripe.api.secret-key 7"]);
  });
});
