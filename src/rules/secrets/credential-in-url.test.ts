import { describe, expect, it } from "@jest/globals";
import { positions, runFixture, runRule } from "../../../test/helpers/rule-tester.js";
import rule from "./credential-in-url.js";

describe("secrets/credential-in-url", () => {
  it("flags URLs with a literal password, pointing at the URL itself", () => {
    const findings = runFixture(rule, "invalid-urls.yaml");
    expect(positions(findings)).toEqual([
      { line: 14, column: 22, path: "spec.template.spec.containers[0].env[0].value", severity: "high" },
      { line: 16, column: 23, path: "spec.template.spec.containers[0].env[1].value", severity: "high" },
      { line: 26, column: 14, path: "spec.source.repoURL", severity: "high" },
      { line: 38, column: 16, path: 'data["worker.yaml"]', severity: "high" },
      { line: 39, column: 17, path: 'data["worker.yaml"]', severity: "high" },
      // Unescaped `#`, `/`, `?` in the password, then a token as the user name.
      { line: 48, column: 8, path: "stringData.url", severity: "high" },
      { line: 49, column: 12, path: "stringData.replica", severity: "high" },
      { line: 50, column: 10, path: "stringData.queue", severity: "high" },
      { line: 52, column: 9, path: "stringData.dags", severity: "high" },
      // An unescaped `@` and `?`: the password runs to the last `@`, and the host is the one after it.
      { line: 54, column: 14, path: "stringData.analytics", severity: "high" },
    ]);
    expect(findings[0]!.message).toBe(
      'Deployment "shop/orders" embeds a password in the postgres URL for host "postgres.shop.svc" at spec.template.spec.containers[0].env[0].value.',
    );
    expect(findings[2]!.message).toBe('Application "argocd/orders" embeds a password in the https URL for host "git.example.com" at spec.source.repoURL.');
    expect(findings[8]!.message).toBe('Secret "shop/reporting-db" embeds a token (as the user name) in the https URL for host "github.com" at stringData.dags.');
    expect(findings[9]!.message).toBe('Secret "shop/reporting-db" embeds a password in the postgresql URL for host "pg-primary.db.svc" at stringData.analytics.');
    expect(findings.map((f) => f.message).join("\n")).not.toMatch(/s@fe|Rotat10n/);
    // Two identical URLs in one value keep distinct fingerprints.
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(findings.length);
  });

  it("reports a weak password with digits under a generic user name; a template's pair of words stays quiet (held-out round 25)", () => {
    const streams = (url: string): string => `go2rtc:\n  streams:\n    cam3:\n      - ${url}\n`;
    expect(runRule(rule, streams("rtsp://user:Password123456@192.168.5.114:554/x"), { file: "frigate/config.yml" }).map((f) => [f.line, f.column])).toEqual([[4, 9]]);
    for (const url of ["rtsp://user:password@cam.local:554/x", "rtsp://user:passwd@cam.local/x", "rtsp://username:secretpass@cam.local/x"]) {
      expect([url, runRule(rule, streams(url), { file: "frigate/config.yml" })]).toEqual([url, []]);
    }
  });

  it("passes templated, referenced, placeholder and password-less URLs", () => {
    expect(runFixture(rule, "valid-urls.yaml")).toEqual([]);
  });

  it("reports the bare word password as the password of a URL in an applied Secret, not in a ConfigMap or an example (held-out round 24)", () => {
    const secret = (kind: string): string => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: app\nstringData:\n  DATABASE_URL: postgresql://postgres:password@postgres-service:5432/app\n`;
    expect(runRule(rule, secret("Secret")).map((f) => [f.line, f.column, f.path])).toEqual([[6, 17, "stringData.DATABASE_URL"]]);
    expect(runRule(rule, secret("Secret"), { file: "examples/secret.yaml" })).toEqual([]);
    expect(runRule(rule, secret("ConfigMap").replace("stringData", "data"))).toEqual([]);
  });

  it("reads a `$` inside a password as a character, and `$VAR` / `${VAR}` as the password as variables (held-out round 12)", () => {
    const cm = (url: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  DATABASE_URL: "${url}"\n`;
    expect(runRule(rule, cm("postgres://app:Tq3vz8m2$p4wr7ne@db.svc:5432/app")).map((f) => [f.line, f.path])).toEqual([[6, "data.DATABASE_URL"]]);
    for (const ref of ["$DB_PASSWORD", "${DB_PASSWORD}", "$(DB_PASSWORD)", "%24DB_PASSWORD"]) {
      expect([ref, runRule(rule, cm(`postgres://app:${ref}@db.svc:5432/app`))]).toEqual([ref, []]);
    }
  });
});
