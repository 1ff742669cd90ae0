import { describe, expect, it } from "@jest/globals";
import { ecrActivation } from "./enabled.js";

describe("ecrActivation", () => {
  it.each([
    [{}, {}, false],
    [{ AWS_REGION: "eu-central-1" }, {}, false],
    [{ AWS_ACCESS_KEY_ID: "AKIA…", AWS_SECRET_ACCESS_KEY: "…" }, {}, true],
    [{ AWS_PROFILE: "ci" }, {}, true],
    [{ AWS_WEB_IDENTITY_TOKEN_FILE: "/var/run/token", AWS_ROLE_ARN: "arn:aws:iam::1:role/x" }, {}, true],
    [{ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials" }, {}, true],
    [{ AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://169.254.170.23/v1/credentials" }, {}, true],
    [{ AWS_LAMBDA_FUNCTION_NAME: "worker" }, {}, true],
    [{ AWS_ENDPOINT_URL_ECR: "http://127.0.0.1:4566" }, {}, true],
    [{ AWS_ENDPOINT_URL_ECR: "  " }, {}, false],
    [{ AWS_ACCESS_KEY_ID: "x" }, { enabled: false }, false],
    [{ AWS_ENDPOINT_URL_ECR: "http://127.0.0.1:4566" }, { enabled: false }, false],
    [{}, { enabled: true }, true],
  ])("env %j, config %j → %s", (env, ecr, enabled) => {
    expect(ecrActivation(env, ecr).enabled).toBe(enabled);
  });

  it("says why it is off, for the one note", () => {
    expect(ecrActivation({}, {})).toEqual({ enabled: false, reason: expect.stringContaining("no AWS credentials") });
    expect(ecrActivation({ AWS_PROFILE: "x" }, { enabled: false })).toEqual({ enabled: false, reason: "turned off by ecr.enabled: false in the configuration" });
    expect(ecrActivation({ AWS_PROFILE: "x" }, { enabled: true }, { cliDisabled: true })).toEqual({ enabled: false, reason: "turned off by --no-ecr" });
  });

  it("never echoes a credential in its reasons", () => {
    const a = ecrActivation({ AWS_ACCESS_KEY_ID: "AKIAEXAMPLESECRET", AWS_SECRET_ACCESS_KEY: "s3cr3t" }, {});
    expect(JSON.stringify(a)).not.toMatch(/AKIAEXAMPLESECRET|s3cr3t/);
  });
});
