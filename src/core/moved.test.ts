import { describe, expect, it } from "@jest/globals";
import { renderPlace, resourceKey, type Fingerprintable } from "./fingerprint.js";
import { judgedObject, objectPairs, pairMoved, pairRenamedContainers, writtenIn, type JudgedObjects } from "./moved.js";

const PRIV = "k8s/privileged-container";
const ROOT = "k8s/run-as-root";
const PRIV_PATH = "spec.template.spec.containers[0].securityContext.privileged";
const privIdentity = (container: string) => `spec.template.spec.containers[name="${container}"].securityContext.privileged`;

interface Spec {
  rule?: string;
  file: string;
  /** `Kind/namespace/name` */
  object: string;
  path?: string;
  identity?: string | null;
  /** A rendered finding: the root. */
  root?: string;
}

function finding(spec: Spec): Fingerprintable {
  const [kind, namespace, name] = spec.object.split("/") as [string, string, string];
  const resource = { apiVersion: "v1", kind: kind || null, namespace: namespace || null, name: name || null };
  const path = spec.path ?? PRIV_PATH;
  const identity = spec.identity === undefined ? privIdentity("api") : spec.identity;
  return {
    ruleId: spec.rule ?? PRIV,
    severity: "critical",
    file: spec.file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 2,
    resource,
    path,
    ...(identity !== null ? { identity } : {}),
    message: "m",
    fix: "f",
    docIndex: 0,
    ...(spec.root !== undefined ? { renderScope: { root: spec.root, resourceKey: resourceKey({ resource, docIndex: 0 }), ...(identity !== null ? { identity } : {}) } } : {}),
  };
}

/** Judged objects: `place` is a file or `kustomize:<root>`, each object `Kind/namespace/name`. */
function judged(base: Record<string, string[]>, head: Record<string, string[]>): JudgedObjects {
  const set = (by: Record<string, string[]>) => new Set(Object.entries(by).flatMap(([place, objects]) => objects.map((o) => judgedObject(place, o))));
  return { base: set(base), head: set(head) };
}

/** The pairs, as `head file object → base file object` (rule), in head order. */
function pairs(head: Fingerprintable[], base: Fingerprintable[], objects: JudgedObjects): string[] {
  const out = pairMoved(head, base, objects);
  const show = (f: Fingerprintable) => `${f.renderScope ? renderPlace(f.renderScope.root) : f.file} ${f.resource.kind}/${f.resource.namespace ?? ""}/${f.resource.name}`;
  return head.filter((f) => out.has(f)).map((f) => `${show(f)} → ${show(out.get(f)!)} (${f.ruleId})`);
}

describe("pairMoved: an object moved to another place of its directory", () => {
  it("pairs the findings of a Deployment moved from one file to a new one beside it", () => {
    const head = [finding({ file: "app/deploy.yaml", object: "Deployment/shop/api" })];
    const base = [finding({ file: "app/all.yaml", object: "Deployment/shop/api" })];
    const objects = judged({ "app/all.yaml": ["Deployment/shop/api", "Service/shop/api"] }, { "app/all.yaml": ["Service/shop/api"], "app/deploy.yaml": ["Deployment/shop/api"] });
    expect(pairs(head, base, objects)).toEqual(["app/deploy.yaml Deployment/shop/api → app/all.yaml Deployment/shop/api (k8s/privileged-container)"]);
  });

  it("does not pair across directories: moved from envs/dev to envs/prod, the risk is new in prod", () => {
    const head = [finding({ file: "envs/prod/api.yaml", object: "Deployment/shop/api" })];
    const base = [finding({ file: "envs/dev/api.yaml", object: "Deployment/shop/api" })];
    const objects = judged({ "envs/dev/api.yaml": ["Deployment/shop/api"] }, { "envs/prod/api.yaml": ["Deployment/shop/api"] });
    expect(pairs(head, base, objects)).toEqual([]);
  });

  it("pairs a file's object with the same object rendered by the root of that directory, not of another", () => {
    const head = [finding({ file: "app/all.yaml", object: "Deployment/shop/api", root: "app" })];
    const base = [finding({ file: "app/all.yaml", object: "Deployment/shop/api" })];
    expect(pairs(head, base, judged({ "app/all.yaml": ["Deployment/shop/api"] }, { [renderPlace("app")]: ["Deployment/shop/api"] }))).toHaveLength(1);
    const overlay = [finding({ file: "app/all.yaml", object: "Deployment/shop/api", root: "app/overlays/prod" })];
    expect(pairs(overlay, base, judged({ "app/all.yaml": ["Deployment/shop/api"] }, { [renderPlace("app/overlays/prod")]: ["Deployment/shop/api"] }))).toEqual([]);
  });

  it("pairs at the repository's top directory too (a file there and the root `.`)", () => {
    const head = [finding({ file: "b.yaml", object: "Deployment/shop/api" })];
    const base = [finding({ file: "a.yaml", object: "Deployment/shop/api" })];
    expect(pairs(head, base, judged({ "a.yaml": ["Deployment/shop/api"] }, { "b.yaml": ["Deployment/shop/api"] }))).toHaveLength(1);
    expect(pairs(head, base, judged({ "a.yaml": ["Deployment/shop/api"] }, { "sub/b.yaml": ["Deployment/shop/api"] }))).toEqual([]);
  });

  it("does not guess when the object appears at two places of the directory", () => {
    const head = [finding({ file: "app/b.yaml", object: "Deployment/shop/api" }), finding({ file: "app/c.yaml", object: "Deployment/shop/api" })];
    const base = [finding({ file: "app/a.yaml", object: "Deployment/shop/api" })];
    const objects = judged({ "app/a.yaml": ["Deployment/shop/api"] }, { "app/b.yaml": ["Deployment/shop/api"], "app/c.yaml": ["Deployment/shop/api"] });
    expect(pairs(head, base, objects)).toEqual([]);
  });

  it("never pairs when the base object is still at its place on head (fixed there, added beside it)", () => {
    const head = [finding({ file: "app/b.yaml", object: "Deployment/shop/api" })];
    const base = [finding({ file: "app/a.yaml", object: "Deployment/shop/api" })];
    const objects = judged({ "app/a.yaml": ["Deployment/shop/api"] }, { "app/a.yaml": ["Deployment/shop/api"], "app/b.yaml": ["Deployment/shop/api"] });
    expect(pairs(head, base, objects)).toEqual([]);
    expect(objectPairs(objects).size).toBe(0);
  });

  it("pairs by rule: a head finding of a rule the base object did not have stays unpaired", () => {
    const head = [finding({ file: "app/b.yaml", object: "Deployment/shop/api" }), finding({ rule: ROOT, file: "app/b.yaml", object: "Deployment/shop/api", path: "spec.template.spec.containers[0]", identity: 'spec.template.spec.containers[name="api"]' })];
    const base = [finding({ rule: ROOT, file: "app/a.yaml", object: "Deployment/shop/api", path: "spec.template.spec.containers[0]", identity: 'spec.template.spec.containers[name="api"]' })];
    const objects = judged({ "app/a.yaml": ["Deployment/shop/api"] }, { "app/b.yaml": ["Deployment/shop/api"] });
    expect(pairs(head, base, objects)).toEqual(["app/b.yaml Deployment/shop/api → app/a.yaml Deployment/shop/api (k8s/run-as-root)"]);
  });

  it("pairs only findings of the same severity: a policy that weighs the new file higher makes it a greater risk", () => {
    const head = [{ ...finding({ file: "app/prod-api.yaml", object: "Deployment/shop/api" }), severity: "critical" as const }];
    const base = [{ ...finding({ file: "app/api.yaml", object: "Deployment/shop/api" }), severity: "medium" as const }];
    expect(pairs(head, base, judged({ "app/api.yaml": ["Deployment/shop/api"] }, { "app/prod-api.yaml": ["Deployment/shop/api"] }))).toEqual([]);
  });

  it("pairs one to one: each base finding once", () => {
    const head = [finding({ file: "app/b.yaml", object: "Deployment/shop/api" }), finding({ file: "app/b.yaml", object: "Deployment/shop/api" })];
    const base = [finding({ file: "app/a.yaml", object: "Deployment/shop/api" })];
    const out = pairMoved(head, base, judged({ "app/a.yaml": ["Deployment/shop/api"] }, { "app/b.yaml": ["Deployment/shop/api"] }));
    expect([...out.keys()]).toEqual([head[0]]);
    expect([...out.values()]).toEqual([base[0]]);
  });

  it("pairs by identity path first, then what is left by the path as written (a container renamed with its object)", () => {
    // Two containers: the identity pairs "web" with "web" although its index moved; "api" → "api-v2" pairs by path.
    const web = (file: string, index: number) => finding({ file, object: "Deployment/shop/api", path: `spec.template.spec.containers[${index}].securityContext.privileged`, identity: privIdentity("web") });
    const head = [finding({ file: "app/b.yaml", object: "Deployment/shop/api", identity: privIdentity("api-v2") }), web("app/b.yaml", 1)];
    const base = [web("app/a.yaml", 0), finding({ file: "app/a.yaml", object: "Deployment/shop/api", path: "spec.template.spec.containers[1].securityContext.privileged", identity: privIdentity("api") })];
    const out = pairMoved(head, base, judged({ "app/a.yaml": ["Deployment/shop/api"] }, { "app/b.yaml": ["Deployment/shop/api"] }));
    expect(out.get(head[1]!)).toBe(base[0]);
    // Left: head api-v2 at [0], base api at [1]: neither identity nor path agree, so no pair.
    expect(out.has(head[0]!)).toBe(false);
    const renamedOnly = [finding({ file: "app/b.yaml", object: "Deployment/shop/api", identity: privIdentity("api-v2") })];
    const before = [finding({ file: "app/a.yaml", object: "Deployment/shop/api", identity: privIdentity("api") })];
    expect(pairMoved(renamedOnly, before, judged({ "app/a.yaml": ["Deployment/shop/api"] }, { "app/b.yaml": ["Deployment/shop/api"] })).get(renamedOnly[0]!)).toBe(before[0]);
  });

  it("leaves objects without a name alone (a document known by its index only)", () => {
    const head = [finding({ file: "app/b.yaml", object: "Deployment/shop/" })];
    const base = [finding({ file: "app/a.yaml", object: "Deployment/shop/" })];
    expect(pairs(head, base, judged({ "app/a.yaml": ["Deployment/shop/#0"] }, { "app/b.yaml": ["Deployment/shop/#0"] }))).toEqual([]);
  });
});

describe("pairMoved: an object renamed at its place", () => {
  const renamed = judged({ "app/all.yaml": ["Deployment/shop/api", "Service/shop/api"] }, { "app/all.yaml": ["Deployment/shop/api-v2", "Service/shop/api"] });

  it("pairs the one Deployment that vanished with the one that appeared in the same file", () => {
    const head = [finding({ file: "app/all.yaml", object: "Deployment/shop/api-v2" })];
    const base = [finding({ file: "app/all.yaml", object: "Deployment/shop/api" })];
    expect(pairs(head, base, renamed)).toEqual(["app/all.yaml Deployment/shop/api-v2 → app/all.yaml Deployment/shop/api (k8s/privileged-container)"]);
  });

  it("pairs a namespace change, also of several objects of a kind (each by its unchanged name)", () => {
    const head = [finding({ file: "app/all.yaml", object: "Deployment/shop2/api" }), finding({ file: "app/all.yaml", object: "Deployment/shop2/web" })];
    const base = [finding({ file: "app/all.yaml", object: "Deployment/shop/web" }), finding({ file: "app/all.yaml", object: "Deployment/shop/api" })];
    const objects = judged({ "app/all.yaml": ["Deployment/shop/api", "Deployment/shop/web"] }, { "app/all.yaml": ["Deployment/shop2/api", "Deployment/shop2/web"] });
    expect(pairs(head, base, objects)).toEqual([
      "app/all.yaml Deployment/shop2/api → app/all.yaml Deployment/shop/api (k8s/privileged-container)",
      "app/all.yaml Deployment/shop2/web → app/all.yaml Deployment/shop/web (k8s/privileged-container)",
    ]);
  });

  it("does not guess between two Deployments renamed in one file", () => {
    const head = [finding({ file: "app/all.yaml", object: "Deployment/shop/api-v2" }), finding({ file: "app/all.yaml", object: "Deployment/shop/web-v2" })];
    const base = [finding({ file: "app/all.yaml", object: "Deployment/shop/api" }), finding({ file: "app/all.yaml", object: "Deployment/shop/web" })];
    const objects = judged({ "app/all.yaml": ["Deployment/shop/api", "Deployment/shop/web"] }, { "app/all.yaml": ["Deployment/shop/api-v2", "Deployment/shop/web-v2"] });
    expect(pairs(head, base, objects)).toEqual([]);
  });

  it("does not pair objects of different kinds, nor a rename at another place", () => {
    const head = [finding({ file: "app/all.yaml", object: "StatefulSet/shop/api-v2" })];
    const base = [finding({ file: "app/all.yaml", object: "Deployment/shop/api" })];
    expect(pairs(head, base, judged({ "app/all.yaml": ["Deployment/shop/api"] }, { "app/all.yaml": ["StatefulSet/shop/api-v2"] }))).toEqual([]);
    const elsewhere = [finding({ file: "app/other.yaml", object: "Deployment/shop/api-v2" })];
    expect(pairs(elsewhere, base, judged({ "app/all.yaml": ["Deployment/shop/api"] }, { "app/other.yaml": ["Deployment/shop/api-v2"] }))).toEqual([]);
  });

  it("keeps a risk the rename brings new: no twin on the old object", () => {
    const head = [finding({ file: "app/all.yaml", object: "Deployment/shop/api-v2" })];
    const base = [finding({ rule: ROOT, file: "app/all.yaml", object: "Deployment/shop/api", path: "spec.template.spec.containers[0]", identity: 'spec.template.spec.containers[name="api"]' })];
    expect(pairs(head, base, renamed)).toEqual([]);
  });

  it("lets a move take the object first: moved out of the file, the object renamed in it is not its twin", () => {
    // Base: a.yaml holds api. Head: api is in b.yaml, and a.yaml holds api-v2 (a new Deployment).
    const objects = judged({ "app/a.yaml": ["Deployment/shop/api"] }, { "app/a.yaml": ["Deployment/shop/api-v2"], "app/b.yaml": ["Deployment/shop/api"] });
    expect([...objectPairs(objects)]).toEqual([[judgedObject("app/a.yaml", "Deployment/shop/api"), judgedObject("app/b.yaml", "Deployment/shop/api")]]);
    // Nor is one that only changed its namespace there.
    const namespaced = judged({ "app/a.yaml": ["Deployment/shop/api"] }, { "app/a.yaml": ["Deployment/shop2/api"], "app/b.yaml": ["Deployment/shop/api"] });
    expect([...objectPairs(namespaced)]).toEqual([[judgedObject("app/a.yaml", "Deployment/shop/api"), judgedObject("app/b.yaml", "Deployment/shop/api")]]);
  });

  describe("at a root, by where each object was written", () => {
    const root = renderPlace("app");
    const at = (objects: string[]) => ({ [root]: objects });
    /** Origins at the root: rendered object → [file, written object]. */
    const origins = (base: Record<string, [string, string]>, head: Record<string, [string, string]>) => {
      const map = (by: Record<string, [string, string]>) => new Map(Object.entries(by).map(([o, [file, written]]) => [judgedObject(root, o), writtenIn(file, written)]));
      return { base: map(base), head: map(head) };
    };
    const shown = (objects: JudgedObjects) => [...objectPairs(objects)].map(([b, h]) => `${b.split("\u0000")[1]} → ${h.split("\u0000")[1]}`).sort();

    it("pairs each object a namePrefix renames with the one written as the same object", () => {
      const objects = judged(at(["Deployment/shop/api", "Deployment/shop/web"]), at(["Deployment/shop/prod-api", "Deployment/shop/prod-web"]));
      // Without knowing where they were written: two Deployments renamed at one place, no guess.
      expect(shown(objects)).toEqual([]);
      const written = origins(
        { "Deployment/shop/api": ["app/all.yaml", "Deployment//api"], "Deployment/shop/web": ["app/all.yaml", "Deployment//web"] },
        { "Deployment/shop/prod-api": ["app/all.yaml", "Deployment//api"], "Deployment/shop/prod-web": ["app/all.yaml", "Deployment//web"] },
      );
      expect(shown({ ...objects, origins: written })).toEqual(["Deployment/shop/api → Deployment/shop/prod-api", "Deployment/shop/web → Deployment/shop/prod-web"]);
    });

    it("pairs the one object of a kind renamed in each file, and does not guess between two renamed in one file", () => {
      const objects = judged(at(["Deployment/shop/api", "Deployment/shop/web"]), at(["Deployment/shop/api-v2", "Deployment/shop/web-v2"]));
      const twoFiles = origins(
        { "Deployment/shop/api": ["app/api.yaml", "Deployment/shop/api"], "Deployment/shop/web": ["app/web.yaml", "Deployment/shop/web"] },
        { "Deployment/shop/api-v2": ["app/api.yaml", "Deployment/shop/api-v2"], "Deployment/shop/web-v2": ["app/web.yaml", "Deployment/shop/web-v2"] },
      );
      expect(shown({ ...objects, origins: twoFiles })).toEqual(["Deployment/shop/api → Deployment/shop/api-v2", "Deployment/shop/web → Deployment/shop/web-v2"]);
      const oneFile = origins(
        { "Deployment/shop/api": ["app/all.yaml", "Deployment/shop/api"], "Deployment/shop/web": ["app/all.yaml", "Deployment/shop/web"] },
        { "Deployment/shop/api-v2": ["app/all.yaml", "Deployment/shop/api-v2"], "Deployment/shop/web-v2": ["app/all.yaml", "Deployment/shop/web-v2"] },
      );
      expect(shown({ ...objects, origins: oneFile })).toEqual([]);
    });
  });

  it("pairs a rendered object renamed by its root (a namePrefix added)", () => {
    const head = [finding({ file: "app/all.yaml", object: "Deployment/shop/prod-api", root: "app" })];
    const base = [finding({ file: "app/all.yaml", object: "Deployment/shop/api", root: "app" })];
    expect(pairs(head, base, judged({ [renderPlace("app")]: ["Deployment/shop/api"] }, { [renderPlace("app")]: ["Deployment/shop/prod-api"] }))).toHaveLength(1);
  });
});

describe("pairMoved: a workload turned into another kind at its place", () => {
  const file = "storage/nfs.yaml";
  const turned = (from: string, to: string) => judged({ [file]: [`${from}/storage/nfs`, "Service/storage/nfs"] }, { [file]: [`${to}/storage/nfs`, "Service/storage/nfs"] });

  it("pairs a Deployment turned into a StatefulSet, or into an Argo Rollout, by rule, severity and identity path", () => {
    const base = [finding({ file, object: "Deployment/storage/nfs" }), finding({ rule: ROOT, file, object: "Deployment/storage/nfs", path: "spec.template.spec.containers[0]", identity: 'spec.template.spec.containers[name="api"]' })];
    for (const kind of ["StatefulSet", "Rollout", "DaemonSet"]) {
      const head = [finding({ rule: ROOT, file, object: `${kind}/storage/nfs`, path: "spec.template.spec.containers[0]", identity: 'spec.template.spec.containers[name="api"]' }), finding({ file, object: `${kind}/storage/nfs` })];
      expect(pairs(head, base, turned("Deployment", kind))).toEqual([
        `${file} ${kind}/storage/nfs → ${file} Deployment/storage/nfs (k8s/run-as-root)`,
        `${file} ${kind}/storage/nfs → ${file} Deployment/storage/nfs (k8s/privileged-container)`,
      ]);
    }
  });

  it("pairs a rendered workload whose kind changed at its root", () => {
    const root = renderPlace("storage");
    const head = [finding({ file, object: "StatefulSet/storage/nfs", root: "storage" })];
    const base = [finding({ file, object: "Deployment/storage/nfs", root: "storage" })];
    expect(pairs(head, base, judged({ [root]: ["Deployment/storage/nfs"] }, { [root]: ["StatefulSet/storage/nfs"] }))).toHaveLength(1);
  });

  it("keeps a risk added with the change new, and a finding of another severity unpaired", () => {
    const base = [finding({ file, object: "Deployment/storage/nfs" })];
    const added = [finding({ rule: ROOT, file, object: "StatefulSet/storage/nfs", path: "spec.template.spec.containers[0]", identity: 'spec.template.spec.containers[name="api"]' })];
    expect(pairs(added, base, turned("Deployment", "StatefulSet"))).toEqual([]);
    const graver = [{ ...finding({ rule: ROOT, file, object: "StatefulSet/storage/nfs" }), severity: "high" as const }];
    expect(pairs(graver, [finding({ rule: ROOT, file, object: "Deployment/storage/nfs" })], turned("Deployment", "StatefulSet"))).toEqual([]);
  });

  it("pairs only workloads of the same namespace and name at the same place, one each", () => {
    const base = [finding({ file, object: "Deployment/storage/nfs" })];
    const head = [finding({ file, object: "StatefulSet/storage/nfs" })];
    // Another namespace, another file, a kind that is not a workload with a pod template at spec.template.
    expect(pairs([finding({ file, object: "StatefulSet/backup/nfs" })], base, judged({ [file]: ["Deployment/storage/nfs"] }, { [file]: ["StatefulSet/backup/nfs"] }))).toEqual([]);
    expect(pairs([finding({ file: "storage/sts.yaml", object: "StatefulSet/storage/nfs" })], base, judged({ [file]: ["Deployment/storage/nfs"] }, { "storage/sts.yaml": ["StatefulSet/storage/nfs"] }))).toEqual([]);
    expect(pairs([finding({ file, object: "CronJob/storage/nfs" })], base, turned("Deployment", "CronJob"))).toEqual([]);
    // The Deployment still there beside the new StatefulSet: nothing vanished.
    expect(pairs(head, base, judged({ [file]: ["Deployment/storage/nfs"] }, { [file]: ["Deployment/storage/nfs", "StatefulSet/storage/nfs"] }))).toEqual([]);
    // Two arrived with its name (a StatefulSet and a DaemonSet): no guess.
    expect(pairs(head, base, judged({ [file]: ["Deployment/storage/nfs"] }, { [file]: ["StatefulSet/storage/nfs", "DaemonSet/storage/nfs"] }))).toEqual([]);
  });
});

describe("pairRenamedContainers: a container renamed in its object", () => {
  const OBJECT = "Deployment/shop/api";
  /** A finding of the container `name` at `index` of the Deployment's containers. */
  const at = (name: string, index: number, rule = PRIV) =>
    finding({ rule, file: "app/api.yaml", object: OBJECT, path: `spec.template.spec.containers[${index}].securityContext.privileged`, identity: privIdentity(name) });
  /** The pairs, as `head container → base container`. */
  const renamed = (head: Fingerprintable[], base: Fingerprintable[], headAll = head, baseAll = base): string[] => {
    const out = pairRenamedContainers(head, base, headAll, baseAll);
    const name = (f: Fingerprintable) => /name="([^"]+)"/.exec(f.identity ?? "")?.[1];
    return head.filter((f) => out.has(f)).map((f) => `${name(f)} → ${name(out.get(f)!)}`);
  };

  it("pairs the one container that left with the one that arrived, at the same index or not", () => {
    expect(renamed([at("server", 0)], [at("api", 0)])).toEqual(["server → api"]);
    const kept = at("keep", 0);
    expect(renamed([at("envoy", 0)], [at("proxy", 1)], [at("envoy", 0), at("keep", 1)], [kept, at("proxy", 1)])).toEqual(["envoy → proxy"]);
  });

  it("pairs several renamed containers by index, and does not guess between two that moved elsewhere", () => {
    expect(renamed([at("c", 0), at("d", 1)], [at("a", 0), at("b", 1)])).toEqual(["c → a", "d → b"]);
    const keep = (i: number) => at("keep", i);
    expect(renamed([at("x", 3), at("y", 4)], [at("a", 0), at("b", 1)], [keep(0), at("x", 3), at("y", 4)], [at("a", 0), at("b", 1), keep(2)])).toEqual([]);
  });

  it("keeps a container added beside one that stays unpaired, and pairs only the same rule and path", () => {
    const stays = at("api", 0);
    expect(renamed([at("proxy", 1)], [], [stays, at("proxy", 1)], [stays])).toEqual([]);
    expect(renamed([at("server", 0, ROOT)], [at("api", 0)])).toEqual([]);
  });

  it("pairs only within one object: the same container names in another Deployment are not its twins", () => {
    const other = finding({ file: "app/api.yaml", object: "Deployment/shop/web", identity: privIdentity("api") });
    expect(renamed([at("server", 0)], [other])).toEqual([]);
  });
});
