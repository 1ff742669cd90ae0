import picomatch from "picomatch";
for (const g of ["[", "a/[b", "**/*.{yaml", "{a,b", "a/**b", "(", "a)", "!(a", "[z-a]", "\\", "***", "a\\", "**/prod/**", "**/*.{yaml,yml}", "apps/*.yaml", "a]", "@(a|b)", "{a,b}/**", "[[:alpha:]]", "+(a", "**/prod/**/", "!vendor/**"]) {
  for (const o of [{dot:true, debug:true, strictBrackets:true}]) {
  try { const re = picomatch.makeRe(g, o); console.log(JSON.stringify(g), "ok", re.source.slice(0, 60)); } catch (e) { console.log(JSON.stringify(g), "ERR", e.message); } }
}
