import { findCredentials } from "./_credentials.js";
import { isSecretSetting } from "./_names.js";
import { looksRandom } from "./_shape.js";

/**
 * Credentials passed on a container's command line (`args: ["--api-key=54400df2…"]`). Only the unambiguous forms are
 * read: a whole list item that is one flag and its value, `--api-key=…` (or Go's `-api-key=…`), and a flag item
 * followed by its value item, `["--token", "…"]`. The flag's name is judged by the names of secrets (`isSecretName`:
 * `--token-ttl`, `--secret-name`, `--key-file`, `--password-file` describe a secret without holding it) and its
 * value as a setting's value (references such as `$(API_KEY)`, placeholders, file paths and booleans are not
 * literals). A shell script in one item (`sh -c "app --password=…"`) and one-letter flags (`-p`) are not read.
 */

/** A list item that passes a secret: where its value is, and the flag as the message may name it. */
export interface FlagSecret {
  /** Index of the item that holds the value (the flag's own item for `--flag=value`). */
  index: number;
  /** The flag without its value: `--api-key`. */
  flag: string;
}

/** `--flag=value` / `-flag=value`: a flag name of two characters or more, `=`, then the value. */
const FLAG_WITH_VALUE = /^(--?[A-Za-z][\w.-]{1,127})=(.*)$/s;
/** `--flag` alone, its value in the next item. */
const FLAG_ALONE = /^--?[A-Za-z][\w.-]{1,127}$/;

/** A flag name as `isSecretSetting` reads names: `--api-key` → `api-key`. */
const nameOf = (flag: string): string => flag.replace(/^-+/, "");

/**
 * A value in the item after a flag is that flag's value only if the flag takes one, which the list does not say
 * (`mysql --password mydb` prompts, then names a database): it counts only when it is generated text or a known
 * credential format, never a word.
 */
function isSeparateSecret(flag: string, value: string): boolean {
  if (value.startsWith("-") || !isSecretSetting(nameOf(flag), value)) return false;
  return looksRandom(value) || findCredentials(value).length > 0;
}

/** The items of a container's `args` or `command` list that pass a literal secret to a flag, in order. */
export function flagSecrets(items: readonly unknown[]): FlagSecret[] {
  const out: FlagSecret[] = [];
  items.forEach((item, index) => {
    if (typeof item !== "string") return;
    const joined = FLAG_WITH_VALUE.exec(item);
    if (joined) {
      const [, flag = "", value = ""] = joined;
      if (isSecretSetting(nameOf(flag), value)) out.push({ index, flag });
      return;
    }
    const next = items[index + 1];
    if (FLAG_ALONE.test(item) && typeof next === "string" && isSeparateSecret(item, next)) out.push({ index: index + 1, flag: item });
  });
  return out;
}
