// Bundles each Lambda function into one ESM file with esbuild (DESIGN.md: one file per function, no dynalite,
// no dev dependencies). Used by the osls plugin (scripts/osls-bundle-plugin.mjs) before osls zips the files.
import { build } from "esbuild";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";

/** Function name → entry point. serverless.yml's handlers are `dist/bundle/<name>.handler`. */
export const FUNCTIONS = { webhook: "src/lambda/webhook.ts", worker: "src/lambda/worker.ts" };
export const BUNDLE_DIR = "dist/bundle";
/** Lambda's zip budget (DESIGN.md). */
export const MAX_ZIP_BYTES = 5 * 1024 * 1024;

// CommonJS dependencies inside an ESM bundle call `require`; give them one. The alias keeps it from colliding with
// bundled code that imports `createRequire` itself.
const BANNER = "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);";

/** Packages that must never be in a Lambda bundle besides the dev dependencies: the embedded store and its LevelDB. */
const ALWAYS_FORBIDDEN = ["dynalite", "level", "classic-level", "leveldown", "levelup", "memdown", "abstract-level"];

/** The npm package an esbuild input path belongs to (null for the project's own files). */
function packageOf(input) {
  const at = input.lastIndexOf("node_modules/");
  if (at < 0) return null;
  const parts = input.slice(at + "node_modules/".length).split("/");
  return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
}

/**
 * Builds dist/bundle/<name>.mjs for every function; fails when a bundle would contain a forbidden package.
 * Returns each bundle's path, size and the packages it contains.
 */
export async function bundleLambdas({ root = process.cwd() } = {}) {
  const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
  const forbidden = new Set([...ALWAYS_FORBIDDEN, ...Object.keys(pkg.devDependencies ?? {})]);
  const outdir = resolve(root, BUNDLE_DIR);
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const results = [];
  for (const [name, entry] of Object.entries(FUNCTIONS)) {
    const outfile = join(outdir, `${name}.mjs`);
    const out = await build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: "node",
      target: "node22",
      format: "esm",
      banner: { js: BANNER },
      // ESM builds first (esbuild's default for platform node is CommonJS first): the AWS SDK's dist-es modules
      // tree-shake, its dist-cjs bundles do not. Smaller bundles import faster.
      mainFields: ["module", "main"],
      minify: true,
      metafile: true,
      logLevel: "error",
    });
    const packages = [...new Set(Object.keys(out.metafile.inputs).map(packageOf).filter(Boolean))].sort();
    const bad = packages.filter((p) => forbidden.has(p));
    if (bad.length) throw new Error(`the ${name} bundle would contain ${bad.join(", ")} (the embedded store or dev dependencies): import them lazily or not at all`);
    results.push({ name, file: outfile, bytes: out.metafile.outputs[join(BUNDLE_DIR, `${name}.mjs`)]?.bytes ?? 0, packages });
  }
  return results;
}
