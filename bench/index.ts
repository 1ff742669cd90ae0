import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { benchEngine, formatEngineBench } from "./engine.js";

/** `npm run bench`: prints the budgets of DESIGN.md as measured on this machine. */
const corpus = resolve(process.argv[2] ?? "../shared/corpus");
if (!existsSync(corpus)) {
  process.stderr.write(`corpus not found at ${corpus}; pass its path: npm run bench -- <dir>\n`);
  process.exit(2);
}
const engine = await benchEngine(corpus);
process.stdout.write(`${formatEngineBench(engine)}\n`);
let failed = engine.ratio > 1.5;
try {
  const { benchGithub } = (await import("./github.js")) as { benchGithub: () => Promise<{ text: string; ok: boolean } | string> };
  const gh = await benchGithub();
  if (typeof gh === "string") process.stdout.write(`\n${gh}\n`);
  else {
    process.stdout.write(`\n${gh.text}\n`);
    failed ||= !gh.ok;
  }
} catch (err) {
  if ((err as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") throw err;
}
// ECR calls per review against DESIGN.md's budgets (one DescribeImages per repository per ≤ 100 images, one scan
// lookup per digest, no call for digests cached within the hour).
const { benchEcr } = await import("./ecr.js");
const ecr = await benchEcr();
process.stdout.write(`\n${ecr.text}\n`);
failed ||= !ecr.ok;
process.exitCode = failed ? 1 : 0;
