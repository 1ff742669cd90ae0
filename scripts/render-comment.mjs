// Renders a GitHub-flavoured Markdown file roughly as GitHub shows a PR comment (marked with GFM + github-markdown-css)
// and screenshots the whole page with a headless Chromium (Debian's `chromium`, driven by playwright-core).
//
//   node scripts/render-comment.mjs in.md out.png [width]       # width of the comment box in px, default 880
//
// Prints the page height and where the first screen ends (SCREEN px, default 900), so "the blocking findings are on the
// first screen" can be checked, not guessed. `<details>` stay collapsed, as on GitHub; OPEN=1 expands them.
// A dev tool: marked does not sanitise HTML the way GitHub does, so it shows escaping mistakes more harshly, not less.
// FIRST_SCREEN=1 captures only the first screen (what the author sees before scrolling); FROM=<px> one screen from there.
// CHROMIUM=/path/to/chrome picks another browser binary; KEEP_HTML=1 also writes out.png.html.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { marked } = await import(require.resolve("marked"));
const { chromium } = require("playwright-core");
const css = readFileSync(require.resolve("github-markdown-css/github-markdown-light.css"), "utf8");

const [, , input, output, width = "880"] = process.argv;
if (!input || !output) {
  process.stderr.write("usage: node scripts/render-comment.mjs in.md out.png [width]\n");
  process.exit(2);
}
const screen = Number(process.env.SCREEN ?? 900);
const md = readFileSync(input, "utf8");
let body = marked.parse(md, { gfm: true });
if (process.env.OPEN) body = body.replace(/<details>/g, "<details open>");
const html = `<!doctype html><html><head><meta charset="utf-8"><style>${css}
body{margin:0;background:#fff}.markdown-body{box-sizing:border-box;max-width:${width}px;padding:16px 24px;border:1px solid #d0d7de;border-radius:6px;margin:16px}
</style></head><body><article class="markdown-body">${body}</article></body></html>`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width: Number(width) + 32, height: screen } });
  await page.setContent(html, { waitUntil: "load" });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const from = process.env.FROM === undefined ? null : Math.max(0, Math.min(Number(process.env.FROM), height - screen));
  if (from !== null) await page.screenshot({ path: output, fullPage: true, clip: { x: 0, y: from, width: Number(width) + 32, height: screen } });
  else await page.screenshot({ path: output, fullPage: !process.env.FIRST_SCREEN });
  if (process.env.KEEP_HTML) writeFileSync(`${output}.html`, html);
  process.stdout.write(`${output}: ${height}px high, ${(height / screen).toFixed(1)} screens of ${screen}px\n`);
} finally {
  await browser.close();
}
