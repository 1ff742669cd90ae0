import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";

const SKIP_DIRS = new Set([".git", "node_modules", ".gitops-guard", "dist"]);

export function toPosix(p: string): string {
  return sep === "/" ? p : p.split(sep).join("/");
}

/** Every file under `root` (recursively), as paths relative to `root` with forward slashes. */
export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(join(dir, e.name));
      } else if (e.isFile()) {
        out.push(toPosix(relative(root, join(dir, e.name))));
      }
    }
  };
  await walk(root);
  return out.sort();
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export async function readBytes(p: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(p));
}
