import { readFileSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
const root = "/tmp/gg5k";
const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).map((e) => join(e.parentPath, e.name));
const mode = process.argv[2];
const t0 = performance.now();
let bytes = 0;
if (mode === "sync") for (const f of files) bytes += readFileSync(f).length;
else if (mode === "seq") for (const f of files) bytes += (await readFile(f)).length;
else {
  const n = Number(mode); let i = 0;
  await Promise.all(Array.from({ length: n }, async () => { while (i < files.length) { const f = files[i++]; bytes += (await readFile(f)).length; } }));
}
console.log(mode, files.length, bytes, (performance.now() - t0).toFixed(0), "ms");
