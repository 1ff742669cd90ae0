/**
 * The load test's server process: the local server (`startServer`, what `npm start` runs) with the production
 * Octokit, configured from the environment. Bundled from the sources by the test (esbuild) and loaded with
 * `node --import`, so the process holds the server alone and its RSS is the server's.
 */
import { GuardOctokit } from "../../src/app/octokit.js";
import { startServer } from "../../src/app/server.js";

const app = await startServer({ port: 0, host: "127.0.0.1", Octokit: GuardOctokit });
process.stdout.write(`${JSON.stringify({ url: app.url })}\n`);
process.once("SIGTERM", () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
