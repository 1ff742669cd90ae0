// Adds `# expect:` / `# tolerate:` header lines to a staged case whose offending lines carry trailing markers:
//   `  privileged: true  #@ k8s/privileged-container`         expected finding on this line
//   `  resources: ["x"]  #@ rbac/secrets-access ~a`           alternative group: one finding on any line tagged ~a
//   `  path: /var  #@? k8s/container-runtime-socket`          tolerated (neither required nor a false alarm)
// Several markers may follow one line. The markers are removed; the header lines go right after `# licence:`.
// Usage: node test/labelled/annotate.mjs staged.yaml test/labelled/cases/<source>/<case>.yaml
import { readFileSync, writeFileSync } from "node:fs";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node test/labelled/annotate.mjs <staged.yaml> <case.yaml>");
  process.exit(2);
}
const lines = readFileSync(input, "utf8").replace(/\n+$/, "").split("\n");
const licence = lines.findIndex((l) => l.startsWith("# licence:"));
if (licence < 0 || !lines[0].startsWith("# source:")) throw new Error("a case starts with `# source:` and has a `# licence:` line");
const marks = [];
const body = lines.map((line, idx) => {
  const m = line.match(/^(.*?)\s+(#@\??\s.*)$/);
  if (!m) return line;
  for (const raw of m[2].split("#@").slice(1)) {
    const tolerate = raw.startsWith("?");
    const [rule, group] = (tolerate ? raw.slice(1) : raw).trim().split(/\s+/);
    if (!/^[a-z0-9]+\/[a-z0-9-]+$/.test(rule)) throw new Error(`line ${idx + 1}: bad marker "${raw.trim()}"`);
    marks.push({ rule, group: tolerate ? "?" : (group ?? null), idx });
  }
  return m[1];
});
const expects = [];
const groups = new Map();
const tolerated = [];
for (const mk of marks) {
  if (mk.group === "?") tolerated.push(mk);
  else if (mk.group) {
    const key = `${mk.rule} ${mk.group}`;
    if (!groups.has(key)) {
      groups.set(key, { rule: mk.rule, idx: [] });
      expects.push(groups.get(key));
    }
    groups.get(key).idx.push(mk.idx);
  } else expects.push({ rule: mk.rule, idx: [mk.idx] });
}
const shift = expects.length + tolerated.length;
const lineOf = (i) => (i > licence ? i + shift : i) + 1;
const header = [
  ...expects.map((e) => `# expect: ${e.rule}@${e.idx.map(lineOf).join("|")}`),
  ...tolerated.map((t) => `# tolerate: ${t.rule}@${lineOf(t.idx)}`),
];
writeFileSync(output, [...body.slice(0, licence + 1), ...header, ...body.slice(licence + 1)].join("\n") + "\n");
