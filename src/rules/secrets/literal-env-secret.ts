import { defineRule } from "../../core/rule.js";
import { isPlainObject } from "../../parse/classify.js";
import { containers } from "../../parse/workloads.js";
import { shownKey } from "./_mask.js";
import { isSecretEnvSetting } from "./_names.js";
import { describeDoc } from "./_where.js";

export default defineRule({
  meta: {
    id: "secrets/literal-env-secret",
    title: "Secret in a container environment variable",
    severity: "high",
    description:
      "A container `env[]` entry whose name looks secret (password, passwd, secret, token, api_key/apikey, private_key, credentials, access_key) with a literal `value` instead of `valueFrom`. The name looks secret when it ends with one of those words (`DB_PASSWORD`, `clientSecret`) or starts with one (`SECRET_BLAH`, `TOKEN_GITHUB`), unless a later word shows it describes the secret rather than holding it (`SECRET_NAME`, `TOKEN_URL`, `PASSWORD_FILE`, `SECRET_KEY_REF`, `TOKEN_TTL`, `*_ID`). Also `*_HEADERS` values that carry generated text (`OTEL_EXPORTER_OTLP_HEADERS: x-api-team=…`). Placeholders (`changeme`, `__REPLACE_ME__`, `my_access_key`) and references are not reported.",
    rationale:
      "A literal `value` is committed to the repository and shown by anyone who can read the pod spec (`kubectl get pod -o yaml`, `kubectl describe`); it cannot be rotated without a commit.",
    fix: "Move the value into a Secret (encrypted or external) and use `valueFrom.secretKeyRef`, then rotate the committed value.",
    example: {
      bad: "env:\n  - name: DB_PASSWORD\n    value: hunter2\n",
      good: "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: { name: db, key: password }\n",
    },
  },
  checkDoc({ doc, report }) {
    for (const c of containers(doc)) {
      const env = c.container.env;
      if (!Array.isArray(env)) continue;
      env.forEach((entry, i) => {
        if (!isPlainObject(entry) || typeof entry.name !== "string" || !("value" in entry)) return;
        if (!isSecretEnvSetting(entry.name, entry.value)) return;
        report({
          path: [...c.path, "env", i, "value"],
          message: `Container "${c.name}" in ${describeDoc(doc)} sets ${shownKey(entry.name)} to a literal value.`,
        });
      });
    }
  },
});
