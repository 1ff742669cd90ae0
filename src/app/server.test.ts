import { describe, expect, it } from "@jest/globals";
import { missingSettings, startServer, StartupError } from "./server.js";

describe("server settings", () => {
  it("names every missing setting", () => {
    expect(missingSettings({})).toEqual([
      "APP_ID (the GitHub App's id)",
      "PRIVATE_KEY or PRIVATE_KEY_PATH (the App's private key, PEM)",
      "WEBHOOK_SECRET (the App's webhook secret)",
    ]);
    expect(missingSettings({ APP_ID: "1", PRIVATE_KEY_PATH: "key.pem", WEBHOOK_SECRET: "s" })).toEqual([]);
  });

  it("refuses to start without them (no insecure default webhook secret)", async () => {
    await expect(startServer({ env: { APP_ID: "1", PRIVATE_KEY: "x" } })).rejects.toThrow(StartupError);
    await expect(startServer({ env: { APP_ID: "1", PRIVATE_KEY: "x" } })).rejects.toThrow(/WEBHOOK_SECRET/);
  });

  it("rejects a PORT that is not a port", async () => {
    await expect(startServer({ env: { APP_ID: "1", PRIVATE_KEY: "x", WEBHOOK_SECRET: "s", PORT: "http" } })).rejects.toThrow(/PORT must be a port number/);
  });
});
