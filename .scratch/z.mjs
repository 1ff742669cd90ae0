import { parseConfig } from "/work/cli/dist/core/config.js";
import picomatch from "picomatch";
const tries = [{failon: "high"}, {rules: {"k8s/privileged-container": "hgh"}}, {rules: {"k8s/privileged-container": {severty: "high"}}}, {rules: {"k8s/privileged-container": 3}}, {paths: {exclud: []}}, {commands: {prefx: "/g"}}, {waivers: [{rule: "x", reason: "r", expires: "2020-01-01", pth: 1}]}];
for (const t of tries) { try { parseConfig(t, new Set(["k8s/privileged-container"])); } catch (e) { console.log(JSON.stringify(t), "=>", e.problems); } }
import { Config } from "/work/cli/dist/core/config.js";
const r = Config.safeParse({rules: {"k8s/privileged-container": {severty: "high"}}, failon: 1});
console.log(JSON.stringify(r.error.issues, null, 1).slice(0, 3000));
for (const g of ["[", "a/[b", "**/*.{yaml", "{a,b", "a/**b", "(", "a)", "!(a", "[z-a]", "\\", "***", "a\\"]) { try { const re = picomatch.makeRe(g); console.log(g, "ok", re.source.slice(0, 60)); } catch (e) { console.log(g, "ERR", e.message); } }
