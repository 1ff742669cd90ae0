import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDynalite, type DynaliteServer } from "./dynalite-server.js";
import { isLoopback, openStore, storeMode } from "./open.js";
import { StoreError } from "./types.js";

const T0 = new Date("2026-03-01T10:00:00.000Z");
const waiver = { repo: "acme/gitops", pr: 3, rule: "k8s/privileged-container", reason: "r", actor: "alice", headSha: "h", time: T0, expires: new Date(T0.getTime() + 86_400_000) };

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "gg-store-"));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe("storeMode", () => {
  it("an endpoint wins; otherwise AWS credentials mean the real table; otherwise the embedded store", () => {
    expect(storeMode({ AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:8000", AWS_ACCESS_KEY_ID: "a" })).toBe("endpoint");
    expect(storeMode({})).toBe("embedded");
    expect(storeMode({ AWS_ENDPOINT_URL_DYNAMODB: "  " })).toBe("embedded");
    for (const k of ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_LAMBDA_FUNCTION_NAME"]) {
      expect(storeMode({ [k]: "x" })).toBe("aws");
    }
  });

  it("knows loopback endpoints", () => {
    expect(isLoopback("http://127.0.0.1:4567")).toBe(true);
    expect(isLoopback("http://localhost:8000")).toBe(true);
    expect(isLoopback("http://[::1]:8000")).toBe(true);
    expect(isLoopback("https://dynamodb.eu-west-1.amazonaws.com")).toBe(false);
    expect(isLoopback("not a url")).toBe(false);
  });

  it("rejects an invalid TABLE_NAME and endpoint", async () => {
    await expect(openStore({ AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:1", TABLE_NAME: "a b" })).rejects.toThrow(StoreError);
    await expect(openStore({ AWS_ENDPOINT_URL_DYNAMODB: "::nope::" })).rejects.toThrow(/not a URL/);
  });
});

describe("AWS_ENDPOINT_URL_DYNAMODB", () => {
  let server: DynaliteServer;
  beforeAll(async () => {
    server = await startDynalite();
  });
  afterAll(async () => {
    await server.close();
  });

  it("creates the table when missing (dummy credentials on loopback) and reuses it afterwards", async () => {
    const env = { AWS_ENDPOINT_URL_DYNAMODB: server.endpoint, TABLE_NAME: "created-here" };
    const a = await openStore(env);
    expect(a.mode).toBe("endpoint");
    const w = await a.createWaiver({ ...waiver, id: "keep" });
    expect(w.created).toBe(true);
    await a.close();
    const b = await openStore(env);
    expect(await b.getWaiver("acme/gitops", "keep")).toMatchObject({ rule: waiver.rule });
    await b.close();
  });

  it("a reader never creates the table: a missing one means nothing was recorded", async () => {
    const err = await openStore({ AWS_ENDPOINT_URL_DYNAMODB: server.endpoint, TABLE_NAME: "never-made" }, { readOnly: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe("empty");
  });

  it("an unreachable endpoint is a clear error", async () => {
    const dead = await startDynalite();
    const endpoint = dead.endpoint;
    await dead.close();
    await expect(openStore({ AWS_ENDPOINT_URL_DYNAMODB: endpoint })).rejects.toThrow(/cannot reach the DynamoDB store at http:\/\/127\.0\.0\.1/);
  });
});

describe("embedded store", () => {
  it("keeps data under .gitops-guard/ across restarts", async () => {
    const cwd = join(tmp, "persist");
    const a = await openStore({}, { cwd });
    expect(a.mode).toBe("embedded");
    expect(a.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(join(cwd, ".gitops-guard", "endpoint.json"))).toBe(true);
    await a.createWaiver({ ...waiver, id: "survives" });
    await a.close();
    expect(existsSync(join(cwd, ".gitops-guard", "endpoint.json"))).toBe(false);

    const b = await openStore({}, { cwd });
    expect(await b.getWaiver("acme/gitops", "survives")).toMatchObject({ actor: "alice" });
    await b.close();
  });

  it("two opens in one process share one server; it stops with the last close", async () => {
    const cwd = join(tmp, "shared");
    const a = await openStore({}, { cwd });
    const b = await openStore({}, { cwd });
    expect(b.endpoint).toBe(a.endpoint);
    await a.close();
    expect(await b.recordDelivery("x")).toBe(true);
    await b.close();
    const c = await openStore({}, { cwd });
    expect(await c.recordDelivery("x")).toBe(false);
    await c.close();
  });

  it("a reader does not create an embedded store that does not exist", async () => {
    const cwd = join(tmp, "absent");
    const err = await openStore({}, { cwd, readOnly: true }).catch((e: unknown) => e);
    expect((err as StoreError).code).toBe("empty");
    expect(existsSync(join(cwd, ".gitops-guard"))).toBe(false);
  });

  describe("held by another process", () => {
    const req = createRequire(import.meta.url);
    const levelPath = createRequire(req.resolve("dynalite")).resolve("level");
    const children: ChildProcess[] = [];
    afterAll(() => {
      for (const c of children) c.kill();
    });

    function child(script: string): Promise<void> {
      const p = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
      children.push(p);
      return new Promise((resolve, reject) => {
        p.stdout!.on("data", (d: Buffer) => {
          if (d.toString().includes("ready")) resolve();
        });
        p.on("exit", (code) => reject(new Error(`child exited ${code}`)));
      });
    }

    it("joins the store another process serves (it announces its endpoint)", async () => {
      const cwd = join(tmp, "other-process");
      const dir = join(cwd, ".gitops-guard");
      await child(`
        const fs = require("fs"); const dynalite = require(${JSON.stringify(req.resolve("dynalite"))});
        fs.mkdirSync(${JSON.stringify(dir)}, { recursive: true });
        const s = dynalite({ path: ${JSON.stringify(join(dir, "dynalite"))}, createTableMs: 0 });
        s.listen(0, "127.0.0.1", () => {
          fs.writeFileSync(${JSON.stringify(join(dir, "endpoint.json"))}, JSON.stringify({ pid: process.pid, endpoint: "http://127.0.0.1:" + s.address().port }));
          console.log("ready");
        });`);
      const a = await openStore({}, { cwd });
      expect(a.mode).toBe("embedded");
      await a.createWaiver({ ...waiver, id: "via-other" });
      expect(await a.getWaiver("acme/gitops", "via-other")).not.toBeNull();
      await a.close();
      // The other process still owns the directory and its announcement.
      expect(existsSync(join(dir, "endpoint.json"))).toBe(true);
    });

    it("fails clearly when another process holds the directory without announcing an endpoint", async () => {
      const cwd = join(tmp, "locked");
      const db = join(cwd, ".gitops-guard", "dynalite");
      await child(`
        const { Level } = require(${JSON.stringify(levelPath)});
        require("fs").mkdirSync(${JSON.stringify(db)}, { recursive: true });
        const l = new Level(${JSON.stringify(db)}); l.open().then(() => console.log("ready"));
        setInterval(() => {}, 1000);`);
      await expect(openStore({}, { cwd })).rejects.toThrow(/in use by another process/);
    });
  });
});
