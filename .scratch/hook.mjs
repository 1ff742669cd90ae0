import { registerHooks } from "node:module";
const seen = new Set();
registerHooks({ resolve(spec, ctx, next) { const r = next(spec, ctx); seen.add(r.url); return r; } });
process.on("exit", () => { const pk = new Map(); for (const u of seen) { const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u); const k = m ? m[1] : u.includes("/dist/") ? "dist:" + u.split("/dist/")[1].split("/")[0] : "other"; pk.set(k, (pk.get(k) ?? 0) + 1); } process.stderr.write([...pk].sort((a,b)=>b[1]-a[1]).map(([k,v])=>`${v} ${k}`).join("\n") + "\n"); });
