// Runs a Lambda handler the way the Node.js runtime does, in this (fresh) process: imports the handler's file,
// then calls the export with each event and a context whose getRemainingTimeInMillis counts down from
// `remainingMs`. Usage: node invoke-handler.mjs <handler file> <export> <invocations.json> <results.json>
// where invocations.json is [{ "event": {...}, "remainingMs": 120000 }, ...]. Handler output (logs) goes to
// stdout/stderr; the results go to results.json: { importMs, results: [{ result } | { error }] }.
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [file, exportName, invocationsFile, resultsFile] = process.argv.slice(2);
const started = performance.now();
const mod = await import(pathToFileURL(file).href);
const importMs = performance.now() - started;
const handler = mod[exportName];
if (typeof handler !== "function") throw new Error(`${file} does not export a function "${exportName}"`);
const results = [];
for (const { event, remainingMs = 900_000 } of JSON.parse(readFileSync(invocationsFile, "utf8"))) {
  const deadline = Date.now() + remainingMs;
  const context = {
    awsRequestId: randomUUID(),
    functionName: exportName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    results.push({ result: await handler(event, context) });
  } catch (err) {
    results.push({ error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
  writeFileSync(resultsFile, JSON.stringify({ importMs, results }));
}
process.exit(0);
