// `npm run package [-- --stage prod --region eu-west-1]`: builds the Lambda zips into .serverless/ with osls,
// offline. Packaging needs no AWS account, so dummy credentials are set (and any profile ignored): nothing here
// can reach AWS.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const osls = createRequire(import.meta.url).resolve("osls/bin/serverless.js");
const args = process.argv.slice(2);
const env = { ...process.env, AWS_ACCESS_KEY_ID: "packaging-only", AWS_SECRET_ACCESS_KEY: "packaging-only", AWS_REGION: process.env.AWS_REGION || "us-east-1" };
delete env.AWS_PROFILE;
delete env.AWS_SESSION_TOKEN;
const started = Date.now();
const run = spawnSync(process.execPath, [osls, "package", ...args], { cwd: root, env, stdio: "inherit" });
if (run.status !== 0) process.exit(run.status ?? 1);
const dir = join(root, ".serverless");
const zips = readdirSync(dir).filter((f) => f.endsWith(".zip"));
for (const z of zips) process.stdout.write(`${join(".serverless", z)}: ${(statSync(join(dir, z)).size / 1024 / 1024).toFixed(2)} MB\n`);
process.stdout.write(`packaged in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
