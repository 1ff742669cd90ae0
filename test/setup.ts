// No test talks to the internet: GitHub is nock or a loopback fake, DynamoDB is dynalite on loopback.
import http from "node:http";

// Jest gives every test file fresh modules but shares Node's core modules. Each file's nock patches `http` on
// top of the previous file's patch, which then stays alive with that file's whole module graph: in one process
// (CI's two cores run the suite in band) every request passes through one more layer per file that ran before,
// and the heap grows with every file. So the previous file's nock is restored before this file's is loaded.
const RESTORE = Symbol.for("gitops-guard.test.restore-nock");
const shared = http as unknown as Record<symbol, (() => void) | undefined>;
shared[RESTORE]?.();
const { default: nock } = await import("nock");

nock.disableNetConnect();
nock.enableNetConnect(/127\.0\.0\.1|localhost/);
shared[RESTORE] = () => nock.restore();
