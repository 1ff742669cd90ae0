import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startFakeSecretsManager, type FakeSecretsManager } from "../../test/fakes/aws/secrets-manager.js";
import { readAppSecret } from "./app-secret.js";
import { readSettings } from "./settings.js";

const KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretkeymaterial\n-----END RSA PRIVATE KEY-----\n";
let sm: FakeSecretsManager;
let client: SecretsManagerClient;

beforeAll(async () => {
  sm = await startFakeSecretsManager();
  client = new SecretsManagerClient({ endpoint: sm.endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
});

afterAll(async () => {
  client.destroy();
  await sm.close();
});

describe("the App secret (Secrets Manager)", () => {
  it("reads appId (string or number), privateKey and webhookSecret, by name or ARN", async () => {
    sm.put("gitops-guard/test", JSON.stringify({ appId: " 4242 ", privateKey: KEY, webhookSecret: "s3cret" }));
    sm.put("gitops-guard/numeric", JSON.stringify({ appId: 4242, privateKey: KEY, webhookSecret: "s3cret" }));
    expect(await readAppSecret(client, "gitops-guard/test")).toEqual({ appId: "4242", privateKey: KEY, webhookSecret: "s3cret" });
    expect(await readAppSecret(client, "arn:aws:secretsmanager:us-east-1:000000000000:secret:gitops-guard/numeric-AbCdEf")).toEqual({ appId: "4242", privateKey: KEY, webhookSecret: "s3cret" });
  });

  it("names what is wrong, never a value", async () => {
    sm.put("bad/json", "appId=1");
    sm.put("bad/fields", JSON.stringify({ appId: "12a", privateKey: "MIIEsecretkeymaterial", webhookSecret: "" }));
    await expect(readAppSecret(client, "bad/json")).rejects.toThrow(/"bad\/json" is not JSON/);
    const err = (await readAppSecret(client, "bad/fields").then(
      () => new Error("no error"),
      (e: unknown) => e,
    )) as Error;
    expect(err.message).toMatch(/missing or malformed appId, privateKey, webhookSecret/);
    expect(err.message).not.toContain("MIIE");
    expect(err.message).not.toContain("12a");
    await expect(readAppSecret(client, "missing")).rejects.toThrow(/cannot read the App secret "missing".*ResourceNotFoundException/);
  });
});

describe("Lambda settings", () => {
  it("name every missing variable; QUEUE_URL, TABLE_NAME and APP_SECRET_ID are all the functions need", () => {
    expect(() => readSettings({}, ["QUEUE_URL", "TABLE_NAME", "APP_SECRET_ID"])).toThrow("set QUEUE_URL, TABLE_NAME, APP_SECRET_ID");
    const env: NodeJS.ProcessEnv = { QUEUE_URL: "q", TABLE_NAME: "t-1", APP_SECRET_ID: "s", GHE_HOST: "", AWS_ENDPOINT_URL: "http://127.0.0.1:1" };
    env.LOG_LEVEL = "WARN" as NodeJS.ProcessEnv["LOG_LEVEL"];
    const s = readSettings(env, ["QUEUE_URL", "TABLE_NAME", "APP_SECRET_ID"]);
    expect(s).toEqual({ queueUrl: "q", tableName: "t-1", appSecretId: "s", gheHost: undefined, gheProtocol: undefined, logLevel: "warn", dynamoEndpoint: true });
    expect(() => readSettings({ TABLE_NAME: "a b" }, ["TABLE_NAME"])).toThrow(/not a valid DynamoDB table name/);
    expect(() => readSettings({ LOG_LEVEL: "loud" as NodeJS.ProcessEnv["LOG_LEVEL"] }, [])).toThrow(/LOG_LEVEL must be one of/);
  });
});
