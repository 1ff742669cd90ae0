import type { JsonPath } from "../../core/path.js";
import { isPlainObject } from "../../parse/classify.js";
import type { ParsedDoc } from "../../parse/yaml-file.js";

/**
 * Containers of CI objects committed to GitOps repositories that are no workload: Argo Workflows templates and
 * Tekton steps. Their `env` and `args` are committed like a Deployment's, so a literal credential there leaks all
 * the same (the workload rules, about pods that run, do not read them).
 */
export interface CiContainer {
  container: Record<string, unknown>;
  path: JsonPath;
  name: string;
}

const ARGO_WORKFLOW_KINDS = new Set(["Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"]);
const TEKTON_TASK_SPEC: Record<string, JsonPath> = { Task: ["spec"], ClusterTask: ["spec"], TaskRun: ["spec", "taskSpec"] };
const TEKTON_PIPELINE_SPEC: Record<string, JsonPath> = { Pipeline: ["spec"], PipelineRun: ["spec", "pipelineSpec"] };

function at(root: unknown, path: JsonPath): unknown {
  let v = root;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === "number") v = v[seg];
    else if (isPlainObject(v) && typeof seg === "string") v = v[seg];
    else return undefined;
  }
  return v;
}

function push(out: CiContainer[], c: unknown, path: JsonPath, fallback: string): void {
  if (isPlainObject(c)) out.push({ container: c, path, name: typeof c.name === "string" ? c.name : fallback });
}

function pushList(out: CiContainer[], list: unknown, path: JsonPath): void {
  if (Array.isArray(list)) list.forEach((c, i) => push(out, c, [...path, i], `#${i}`));
}

/** A Tekton task spec's steps, sidecars and step template. */
function tektonTask(out: CiContainer[], spec: unknown, path: JsonPath): void {
  if (!isPlainObject(spec)) return;
  pushList(out, spec.steps, [...path, "steps"]);
  pushList(out, spec.sidecars, [...path, "sidecars"]);
  push(out, spec.stepTemplate, [...path, "stepTemplate"], "stepTemplate");
}

const NONE: readonly CiContainer[] = [];

function isArgoWorkflow(kind: string, apiVersion: string): boolean {
  return apiVersion.startsWith("argoproj.io/") && ARGO_WORKFLOW_KINDS.has(kind);
}

/** The containers of an Argo Workflows or Tekton object; none for anything else. */
export function ciContainers(doc: ParsedDoc): readonly CiContainer[] {
  const { kind, apiVersion } = doc.resource;
  // Asked about every document: most are neither, and get no list of their own.
  if (!kind || !apiVersion || !(isArgoWorkflow(kind, apiVersion) || apiVersion.startsWith("tekton.dev/"))) return NONE;
  const out: CiContainer[] = [];
  if (isArgoWorkflow(kind, apiVersion)) {
    const specPath: JsonPath = kind === "CronWorkflow" ? ["spec", "workflowSpec"] : ["spec"];
    const templates = at(doc.value, [...specPath, "templates"]);
    if (!Array.isArray(templates)) return out;
    templates.forEach((t, i) => {
      if (!isPlainObject(t)) return;
      const path: JsonPath = [...specPath, "templates", i];
      const name = typeof t.name === "string" ? t.name : `#${i}`;
      push(out, t.container, [...path, "container"], name);
      push(out, t.script, [...path, "script"], name);
      pushList(out, t.initContainers, [...path, "initContainers"]);
      pushList(out, t.sidecars, [...path, "sidecars"]);
      if (isPlainObject(t.containerSet)) pushList(out, t.containerSet.containers, [...path, "containerSet", "containers"]);
    });
  } else if (apiVersion.startsWith("tekton.dev/")) {
    const taskPath = TEKTON_TASK_SPEC[kind];
    if (taskPath) tektonTask(out, at(doc.value, taskPath), taskPath);
    const pipelinePath = TEKTON_PIPELINE_SPEC[kind];
    const pipeline = pipelinePath ? at(doc.value, pipelinePath) : undefined;
    if (pipelinePath && isPlainObject(pipeline)) {
      for (const list of ["tasks", "finally"] as const) {
        const tasks = pipeline[list];
        if (!Array.isArray(tasks)) continue;
        tasks.forEach((t, i) => {
          if (isPlainObject(t)) tektonTask(out, t.taskSpec, [...pipelinePath, list, i, "taskSpec"]);
        });
      }
    }
  }
  return out;
}
