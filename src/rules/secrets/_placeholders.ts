import { nameWords } from "./_name-words.js";
import { entropy, looksRandom } from "./_shape.js";

export { entropy } from "./_shape.js";

/**
 * The one placeholder judgement of the secrets rules (and of `argocd/plaintext-repo-credentials`): a value that
 * stands in for a credential instead of being one. Every rule asks `isPlaceholder` about whole values and
 * `looksFake` about the random part of a token, so `__REPLACE_ME__`, `my_access_key` or
 * `UPDATE_AWS_SECRET_ACCESS_KEY` are judged alike everywhere. Pure and linear: anchored or bounded patterns only.
 */

/** Whole values (lower-cased, separators removed) that are placeholders. */
const PLACEHOLDER_WORDS = new Set([
  "changeme", "changeit", "replaceme", "updateme", "setme", "fillme", "todo", "tbd", "fixme", "example", "dummy", "redacted",
  "placeholder", "null", "none", "nil", "undefined", "na", "notset", "unset", "empty", "secret", "password", "passwd", "token",
  "yourpassword", "yoursecret", "yourtoken", "yourkey", "yourapikey", "foo", "bar", "baz", "qux", "quux", "foobar", "sample",
  "notapassword", "notasecret", "masked", "hidden", "omitted", "removed", "pwd", "pass", "pw", "passw", "tobeset", "tobefilled",
]);

/** Substrings that mark a value (or a token body) as a stand-in, compared on the lower-cased value without separators. */
const PLACEHOLDER_PARTS: readonly string[] = [
  "changeme", "replaceme", "example", "dummy", "redacted", "placeholder", "xxxx", "insertyour", "putyour", "fillin", "fake",
  "yourtoken", "yourkey", "yoursecret", "yourpassword", "notreal",
];

/** Marker words written inside a value: `todo`, `tbd`, `fixme` (between non-letters) and the parts above. */
const INLINE_MARKERS = /todo|tbd|fixme/g;

/**
 * Generated text holds marker letters by chance: a random 82-character token contains `faKe`, `xXxx` or `9tbd4` about
 * once in a few thousand tokens. A marker is such a coincidence when the value is long (24 characters or more), the
 * marker occurs once, glued inside a run of letters and digits, in mixed case when the value mixes cases (a person
 * writes `FAKE`, `fake` or `Example`, at an edge or between words: `ghp_FAKE…`, `my-dummy-token`,
 * `AKIAIOSFODNN7EXAMPLE`, `…bPxRfiCYEXAMPLEKEY`), and the value without the markers still looks generated. `lower` is
 * the value in lower case; `parts` the markers it contains.
 */
function onlyByChance(value: string, lower: string, parts: readonly string[]): boolean {
  if (value.length < 24) return false;
  const glued = (c: string | undefined): boolean => c !== undefined && /[a-z0-9]/.test(c);
  const mixedValue = /[a-z]/.test(value) && /[A-Z]/.test(value);
  let rest = value;
  for (const part of parts) {
    const at = lower.indexOf(part);
    // Found only with separators removed (`your-token`), at an edge of a run, or more than once: written by a person.
    if (at < 0 || !glued(lower[at - 1]) || !glued(lower[at + part.length]) || lower.indexOf(part, at + 1) >= 0) return false;
    const written = value.slice(at, at + part.length);
    const capitalised = written[0]!.toUpperCase() + written.slice(1).toLowerCase();
    if (mixedValue && (written === part || written === part.toUpperCase() || written === capitalised)) return false;
    const from = rest.toLowerCase().indexOf(part);
    rest = rest.slice(0, from) + rest.slice(from + part.length);
  }
  return looksRandom(rest);
}

/**
 * `todo`, `tbd`, `fixme` between non-letters, not followed by a digit: one test for the common case of none. A marker
 * word with digits glued after it is a word of a (weak) password, as `shop123` is: `todo123` was a to-do app's real
 * database password in held-out round 8.
 */
const INLINE_MARKER = /(?:^|[^a-z])(?:todo|tbd|fixme)(?:[^a-z0-9]|$)/;

/** The placeholder parts and inline markers in a value, unless they are there by chance (see `onlyByChance`). */
function hasMarker(value: string, lower: string, squashed: string): boolean {
  const inlineAny = INLINE_MARKER.test(lower);
  if (!inlineAny && !PLACEHOLDER_PARTS.some((p) => squashed.includes(p))) return false;
  const parts = PLACEHOLDER_PARTS.filter((p) => squashed.includes(p));
  const inline = inlineAny ? [...lower.matchAll(INLINE_MARKERS)].filter((m) => !/[a-z]/.test(lower[(m.index ?? 0) - 1] ?? "") && !/[a-z0-9]/.test(lower[(m.index ?? 0) + m[0].length] ?? "")) : [];
  if (parts.length === 0 && inline.length === 0) return true; // defensive: a bounded mark the scan did not list keeps the old answer
  return !onlyByChance(value, lower, [...parts, ...inline.map((m) => m[0])]);
}

/** Words that say "put the real value here": a value made of them and of descriptive words is a placeholder. */
const MARKERS = new Set([
  "my", "your", "yours", "our", "the", "a", "an", "some", "update", "set", "insert", "enter", "add", "put", "replace", "change",
  "fill", "provide", "paste", "generate", "generated", "real", "actual", "new", "here", "goes", "me", "todo", "fixme", "tbd",
  "example", "sample", "dummy", "fake", "placeholder", "redacted", "must", "should", "needs", "configure", "configured", "define",
  // A value that names its encoding describes what goes there (`base64token`, `REPLACE_WITH_BASE64_ENCODED_PASSWORD`;
  // `base64` and `b64` are read as `encoded`, see isDescriptive).
  "encoded",
]);

/** Words that only describe a credential (what, whose, for which service) or glue a sentence together. */
const DESCRIPTORS = new Set([
  "password", "passwd", "pass", "pwd", "passphrase", "secret", "secrets", "key", "keys", "token", "tokens", "api", "apikey",
  "access", "private", "client", "id", "credential", "credentials", "cred", "creds", "auth", "user", "username", "login",
  "admin", "root", "db", "database", "aws", "gcp", "azure", "github", "gitlab", "slack", "stripe", "google", "sendgrid", "smtp",
  "mail", "email", "webhook", "hook", "app", "application", "account", "service", "oauth", "jwt", "session", "cookie",
  "signing", "encryption", "master", "bearer", "basic", "registry", "docker", "npm", "ssh", "tls", "ssl", "cert", "license",
  "licence", "bucket", "redis", "postgres", "postgresql", "mysql", "mongo", "mongodb", "rabbitmq", "kafka", "ldap", "bind",
  "minio", "value", "values", "vault", "bot", "ci", "deploy", "personal", "pat", "consumer", "refresh", "shared", "hmac",
  "salt", "pin", "code", "phrase", "string", "strong", "random", "long", "in", "with", "of", "for", "to", "from", "via", "at",
  "this", "that", "and", "or", "is", "it", "own", "please", "cluster", "server", "dsn", "url", "endpoint", "host", "access_key",
  "sa", "pg", "s", "cloudflare", "datadog", "sentry", "grafana", "argocd", "harbor", "keycloak", "oidc", "sso", "here",
  "encoded", "base", "plain", "text", "git", "repo", "gitops", "pipeline", "injected", "inject", "ci", "cd", "runtime", "env",
  "environment", "variable", "var", "managed", "external", "operator", "sealed", "sops", "kms", "stored", "provided", "goes",
  "paste", "put", "copy", "use", "remember", "echo", "generated", "later", "before", "after", "deploy", "deployment",
  "secure", "super", "safe", "complex", "very",
]);

/** Prefixes of issued tokens: `ghp_pat`, `dckr_pat_token`, `xoxb-token` name a token without being one. */
const TOKEN_PREFIXES = new Set(["ghp", "gho", "ghs", "ghu", "ghr", "glpat", "gldt", "glrt", "xoxb", "xoxp", "xoxa", "xapp", "sk", "pk", "rk", "npm", "dckr", "hf", "pypi", "shpat", "sq", "live", "test"]);

/** Every marker and descriptor, for splitting glued values (`mysecretpassword`) into words. */
const VOCABULARY = new Set([...MARKERS, ...DESCRIPTORS, ...TOKEN_PREFIXES]);
const LONGEST_WORD = Math.max(...[...VOCABULARY].map((w) => w.length));

/** Splits a glued lower-case word into vocabulary words (`mysecretpassword` → my, secret, password), or null. */
function segment(word: string): string[] | null {
  if (word.length > 64) return null;
  // prev[i]: start of the last vocabulary word ending at i in some full split of word[0, i); -1 when none.
  const prev = new Array<number>(word.length + 1).fill(-1);
  prev[0] = 0;
  for (let end = 1; end <= word.length; end++) {
    for (let start = Math.max(0, end - LONGEST_WORD); start < end; start++) {
      if (prev[start]! >= 0 && VOCABULARY.has(word.slice(start, end))) {
        prev[end] = start;
        break;
      }
    }
  }
  if (word.length === 0 || prev[word.length]! < 0) return null;
  const out: string[] = [];
  for (let end = word.length; end > 0; end = prev[end]!) out.unshift(word.slice(prev[end]!, end));
  return out;
}

/** An identifier: letters and digits in words joined by `_ - . ` or camelCase. */
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9]*(?:[-_. ]+[A-Za-z0-9]+)*[-_]*$/;
const SCREAMING = /^[A-Z][A-Z0-9]*(?:_+[A-Z0-9]+)+_*$/;

/**
 * A value made only of words that describe a credential: with a marker (`my_access_key`, `UPDATE_AWS_SECRET_ACCESS_KEY`,
 * `mysecretpassword`, `SET_IN_VAULT`), as an environment-variable name (`AWS_SECRET_ACCESS_KEY`), or echoing its own
 * key (`db_password: db_password`). Lower-case pairs such as `admin-password` without a marker are real (weak) values.
 */
function isDescriptive(v: string, name: string | undefined): boolean {
  if (v.length > 64 || !IDENTIFIER.test(v)) return false;
  const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (name !== undefined && squash(v) === squash(name)) return true; // `API_KEY: API_KEY`, `db_password: dbPassword`
  if (name !== undefined && repeatsKeyWords(squash(v), nameWords(name))) return true; // `ACCESS_REDIS_PASSWORD: redis_password`
  if (name !== undefined && abbreviatesKey(v, nameWords(name))) return true; // `DATABASE_PASSWORD: dbpassword`
  // Descriptions are words; digits make it a value (and keep random text cheap) — except in the name of an encoding, and
  // in an instruction (`REPLACE_WITH_A_SECURE_RANDOM_KEY_AT_LEAST_512_BITS`).
  if (/\d/.test(v.replace(/base64|b64/gi, "")) && !isInstruction(v)) return false;
  let words = nameWords(v.replace(/base64|b64/gi, (m) => (m === m.toUpperCase() ? "ENCODED" : "encoded")));
  if (words.length === 1) words = segment(words[0]!) ?? words;
  if (words.length >= 3 && SCREAMING.test(v)) return true; // `VAULT_SECRET_OR_PIPELINE_INJECTED`: an instruction, not a value
  if (words.length === 0 || !words.every((w) => VOCABULARY.has(w))) return false;
  if (words.some((w) => MARKERS.has(w)) || (words.length >= 2 && TOKEN_PREFIXES.has(words[0]!))) return true;
  return words.length >= 2 && SCREAMING.test(v);
}

/** SCREAMING_SNAKE of four or more words that starts with a marker (`REPLACE_WITH_…`, `SET_…`, `CHANGE_…`): an instruction. */
function isInstruction(v: string): boolean {
  if (!SCREAMING.test(v)) return false;
  const words = nameWords(v);
  return words.length >= 4 && MARKERS.has(words[0]!);
}

/**
 * A value made of two or more of its key's own words, in order, ending with the key's last word (`redis_password`
 * under `ACCESS_REDIS_PASSWORD`, `master_key` under `ACCESS_MASTER_KEY`, `access_password` under
 * `ACCESS_DB_PASSWORD`): a template that writes each key's name where the value goes (seen on a real repository's
 * base64 `data`). `squashed` is the value lower-cased without separators; `words` the key's words. A single word
 * (`postgres` under `POSTGRES_PASSWORD`) is a weak real value, not an echo.
 */
function repeatsKeyWords(squashed: string, words: readonly string[]): boolean {
  const last = words[words.length - 1];
  if (last === undefined || words.length < 3 || words.length > 12) return false;
  if (!squashed.endsWith(last) || squashed.length === last.length) return false;
  return joinsWords(squashed.slice(0, -last.length), words, words.length - 2);
}

/** A password's own words, in a key and at the end of a value that abbreviates it (`DB_PSWD`: held-out round 18). */
const PASSWORD_WORDS = new Set(["password", "passwd", "pass", "pwd", "pswd", "pwsd"]);

/**
 * A value that is the key's initials and a password word (`dbpassword` under `DATABASE_PASSWORD`, `ftpassword` under
 * `FULLTEXTSEARCH_PASSWORD`, `ncpassword` under `NEXTCLOUD_PASSWORD`): a template's echo of its key by abbreviation, as
 * a chart's shipped values write it for editing (held-out round 10). The 1 to 4 lower-case letters start with the key's
 * first letter and are a subsequence of the key's words other than its password word. `v` is the value as written;
 * `words` the key's words. A weak real value does not spell its key: `postgres` and `admin123` stay values, and so
 * does a whole word of the key before `pass` (`rootpass` under `rootPassword`, `dbpass` under `DB_PASSWORD`), a
 * weak password people type.
 */
function abbreviatesKey(v: string, words: readonly string[]): boolean {
  const m = /^([a-z]{1,4})(?:password|passwd|pass|pwd)$/.exec(v);
  if (m === null || !words.some((w) => PASSWORD_WORDS.has(w))) return false;
  const letters = m[1]!;
  const keyWords = words.filter((w) => !PASSWORD_WORDS.has(w));
  const others = keyWords.join("");
  if (others === "" || letters[0] !== others[0] || keyWords.includes(letters)) return false;
  let at = 0;
  for (const c of letters) {
    at = others.indexOf(c, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/** `rest` is the concatenation of some of `words[0..upto]`, in order (at most 2^12 tries: keys have few words). */
function joinsWords(rest: string, words: readonly string[], upto: number): boolean {
  if (rest === "") return true;
  for (let i = upto; i >= 0; i--) {
    const w = words[i]!;
    if (rest.endsWith(w) && joinsWords(rest.slice(0, -w.length), words, i - 1)) return true;
  }
  return false;
}

/**
 * Prose: words separated by spaces, one of them describing a credential (`git password`, `base64 encoded password
 * (remember to use echo -n)`, `docker hub token`). Generated secrets have no spaces; a passphrase of ordinary words
 * (`correct horse battery staple`) names no credential and is not prose here.
 */
function isProse(v: string): boolean {
  if (v.length > 256 || !/\s/.test(v)) return false;
  const words = v.split(/\s+/).map((w) => w.replace(/^[("'[]+|[)"'\].,:;!?]+$/g, ""));
  if (words.length < 2 || !words.every((w) => /^[A-Za-z][A-Za-z'-]*\d{0,3}$/.test(w) || /^-{1,2}[a-z]$/.test(w))) return false;
  return words.some((w) => VOCABULARY.has(w.toLowerCase()) && !["a", "an", "the", "in", "of", "to", "at", "is", "it", "or", "and"].includes(w.toLowerCase()));
}

/**
 * `your-token`, `xoxb-your-token`, `sk_live_your_key`, `myApiKey`: "your"/"my" opening the value or a word of it,
 * followed by what it stands for, closing the value or a word (inside generated text such as `Xk9myTestKey2` the
 * letters are not words).
 */
const POSSESSIVE_STANDIN = /(?:^|[-_ ])(?:your|my)[-_ ]?(?:own[-_ ]?)?(?:[a-z]{1,24}[-_ ]?)?(?:password|passwd|pass|pwd|secret|token|key|credential)s?(?:[-_ ]|$)/;

/**
 * "Your" in Spanish, Portuguese, French, German and Italian (and "his/her/their" where one word says both: `su`,
 * `sua`, `ihr`), opening a stand-in as `your-` does in English.
 */
const FOREIGN_POSSESSIVES = new Set([
  "tu", "tus", "su", "sus", "vuestro", "vuestra", "sua", "suas", "seu", "seus", "teu", "tua", "tuas", "votre", "vos", "ton", "ta",
  "tes", "dein", "deine", "deinen", "ihr", "ihre", "ihren", "euer", "eure", "tuo", "tuoi", "tue", "vostro", "vostra",
]);

/** Credential nouns of those languages (accents removed), and the English ones such a value mixes in (`sua-chave-jwt`). */
const FOREIGN_CREDENTIAL_NOUNS = new Set([
  "clave", "contrasena", "secreto", "secreta", "senha", "chave", "segredo", "motdepasse", "passwort", "schlussel", "schluessel",
  "geheim", "chiave", "segreto", "segreta", "secret", "key", "password", "token", "jwt",
]);

/**
 * `tu_valor_secreto`, `sua-chave-jwt-super-secreta-minimo-32-caracteres`, `votre-mot-de-passe`: a possessive of another
 * language opening the value, then two words or more (letters, or digits on their own), one of them a credential noun.
 * Words are written between separators; a camelCase or glued value (`TuXq9Key`) is not read this way. Two words
 * are not enough: `su` is also Unix's superuser, and `su-password` or `su_pw` can be a real (weak) password.
 */
function isForeignPossessiveStandin(v: string): boolean {
  if (v.length > 128 || !/[-_ .]/.test(v)) return false;
  const words = v.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().split(/[-_ .]+/).filter((w) => w !== "");
  if (words.length < 3 || words.length > 16 || !FOREIGN_POSSESSIVES.has(words[0]!)) return false;
  if (!words.every((w) => /^(?:[a-z]+|\d+)$/.test(w))) return false;
  const rest = words.slice(1);
  return rest.some((w) => FOREIGN_CREDENTIAL_NOUNS.has(w)) || ` ${rest.join(" ")} `.includes(" mot de passe ");
}

/** What follows the user name in the user's own password: a credential word. */
const CREDENTIAL_SUFFIX = /^[-_ ]?(?:password|passwd|pass|pwd|secret|token|key|credential)s?$/;

/**
 * A `my…password` value whose `my…` part is the user name beside it (`db-username: mywork`, `db-password:
 * myworkpassword`): the user's own (weak) password, not the "my password" stand-in. `lower` is the value in lower
 * case; `usernames` the user names of the same object, lower-cased.
 */
function isOwnUsersPassword(lower: string, usernames: ReadonlySet<string> | undefined): boolean {
  if (usernames === undefined) return false;
  for (const user of usernames) {
    if (user.length > 2 && lower.startsWith(user) && CREDENTIAL_SUFFIX.test(lower.slice(user.length))) return true;
  }
  return false;
}

/**
 * A value cut short with an ellipsis (`ab12...`, `xoxb-...`, `LS0t...`, `abc…`, `IyBUaGlz...=`): an elided stand-in, as documentation
 * and redacted pastes write it, not a credential. One line only: a config file may end in YAML's `...` marker.
 */
function isElided(v: string): boolean {
  // Also base64 cut short before its padding (`IyBUaGlzIGlzIHR...=`, held-out round 8).
  return !v.includes("\n") && /(?:\.{3}|\u2026)={0,2}$/.test(v);
}

/** Verbs that open an instruction to put the real value in place (`insert-rest-of-the-token`). */
const INSTRUCTION_VERBS = new Set([
  "insert", "enter", "put", "paste", "replace", "add", "fill", "provide", "set", "update", "change", "generate", "use", "copy",
  "specify", "supply", "type",
]);

/** Nouns that name the credential an instruction asks for. */
const CREDENTIAL_NOUNS = new Set(["password", "passwd", "pwd", "passphrase", "secret", "token", "key", "apikey", "credential", "credentials", "pat"]);

/**
 * An instruction written as the value, whatever ordinary words it holds: an instruction verb first (after a token
 * prefix such as `xoxb-`), a credential noun later (`xoxb-insert-rest-of-the-token`, `paste_the_whole_bot_token_here`,
 * and with numbers in it, four words or more: `ReplaceWith32ByteHexSecretKeyHere00`, held-out round 11). The splitter's vocabulary (`isDescriptive`) need not know the words in between.
 * A passphrase of random words (`correct-horse-battery-staple`) opens with no such verb or names no credential.
 */
function isInstructionPhrase(v: string): boolean {
  if (v.length > 128 || !IDENTIFIER.test(v)) return false;
  const words = nameWords(v); // digits are no words: `ReplaceWith32ByteHexSecretKeyHere00` → replace, with, byte, …
  while (words.length > 0 && TOKEN_PREFIXES.has(words[0]!)) words.shift();
  // Digits in the value (a length, `00` typed to fill it up) ask for one more word, so that a weak password such as
  // `SetKey2024` (two words and a year) stays a value.
  const fewest = /\d/.test(v) ? 4 : 3;
  if (words.length < fewest || words.length > 12 || !INSTRUCTION_VERBS.has(words[0]!)) return false;
  return words.slice(1).some((w) => CREDENTIAL_NOUNS.has(w));
}

/**
 * An instruction to change the value, as words of it: `change-this-secret-key-in-production`,
 * `jwt-secret-key-change-in-production`, `CHANGE_ME_PLEASE`, `replace-this`, `update-before-deploy`. Generated
 * secrets hold no such words.
 */
const CHANGE_INSTRUCTION = /(?:^|[-_ .])(?:change|replace|update)[-_ .]?(?:me|this|it|in[-_ .]?prod(?:uction)?|before|later|asap)(?:[-_ .!]|$)/;

/**
 * A value that says where the real one comes from, in words: `replace-with-terraform-output`, `set-by-ci-pipeline`,
 * `filled-in-by-terraform`, `injected-from-vault` (held-out round 20: four `*_PASSWORD`s of a dev overlay). Words and
 * separators only, three words or more; a password typed as such a phrase with digits or symbols stays a value.
 */
const FILLED_ELSEWHERE = /^(?:replace[-_ ]with|(?:set|filled(?:[-_ ]in)?|provided|injected|populated|supplied|generated|managed|overridden|overwritten)[-_ ](?:by|from|via|at|during))[-_ ][a-z]+(?:[-_ ][a-z]+)*$/;

/**
 * A value that states the length the real one must have: `encryption_key_32_chars_long_123`, `jwt_secret_min_32_chars`,
 * `key-of-64-bytes` (held-out round 20: the `ENCRYPTION_KEY` of an example Secret whose `FERNET_KEY` twin passed).
 * Generated secrets hold no `32_chars`.
 */
const STATED_LENGTH = /(?:^|[-_ ])\d{1,3}[-_ ]?(?:chars?|characters|bytes|bits)(?:[-_ ]|$)/;

/**
 * A value that names the kind of credential it stands for, by service (`github-token`, `gitlab_pat`,
 * `dockerhub-password`, `github-username`): what a template writes where the real one goes. A word that names no
 * service (`admin-password`) can be a real, weak password and is not one of these.
 */
const SERVICE_CREDENTIAL_NAME = /^(?:github|gitlab|bitbucket|gitea|docker(?:hub)?|registry|npm|pypi|slack|aws|gcp|azure|vault|argocd|git)[-_](?:token|pat|password|passwd|secret|key|api[-_]?key|access[-_]?token|username|user)$/;

/**
 * A value that is only a generic credential-type name (`access_token`, `auth_token`, `api-token`, `client_secret`,
 * `accesstoken`, `secret_key`, `api_secret`, `secret_access_key`): a template's stand-in, as the service-prefixed
 * forms above are (`LIVEKIT_API_KEY: access_token  # match your api key`, found on a real repository), and so is one
 * that names only the environment it stands in for (`dev-token`, `test_secret`, `local-key`). The qualifier
 * names a kind of credential, not a person, an application or a database: `admin-password`, `root_password` and
 * `appsecret` (a real repository's database password, in a URL beside the user `app`) stay (weak) values.
 */
const GENERIC_CREDENTIAL_NAME = /^(?:(?:access|auth|api|client|secret|bearer|refresh|oauth|dev|test|local)[-_]?(?:token|secret|key)|secret[-_]?access[-_]?key|access[-_]?key[-_]?id)$/;

/** Words that name a field or the kind of value a template leaves there (`token`, `name`, `value`), or say "yours". */
const FIELD_WORDS = new Set([
  "token", "password", "passwd", "secret", "key", "name", "user", "username", "value", "here", "your", "my", "example", "changeme",
]);

/**
 * Two to four of those words joined by `-` or `_` in one case (`token-password` beside the user `token-name`,
 * `password-here`, `your-token`, `secret_value`, `USER_PASSWORD`): a template names the field instead of filling
 * it. Only those words: `admin-password` or `Tr0ub4dor-password` (a word of its own) stays a (weak) value.
 */
function namesOnlyField(v: string): boolean {
  if (v.length > 48 || !/^(?:[a-z]+(?:[-_][a-z]+){1,3}|[A-Z]+(?:[-_][A-Z]+){1,3})$/.test(v)) return false;
  return v.toLowerCase().split(/[-_]/).every((w) => FIELD_WORDS.has(w));
}

/**
 * `test` under an AWS secret access key's name (`AWS_SECRET_ACCESS_KEY`, `secretAccessKey`): LocalStack's documented
 * dummy credentials (`test` / `test`, accepted as any), not a key (held-out round 10 labelled it so). Under a
 * password's name `test` stays a weak value.
 */
function isLocalStackSecret(lower: string, name: string | undefined): boolean {
  return lower === "test" && name !== undefined && /secret[-_.]?access[-_.]?key$/i.test(name);
}

/**
 * The bare word `password` (or `passwd`, or `secret`) under a password's name (`POSTGRES_PASSWORD: password`): a
 * stand-in in Helm values files, ConfigMaps and examples (`isPlaceholder` says so), but in a Secret that is applied, a
 * secretGenerator's input, or a deployed object's inline Helm values, it is the password the workload gets: a weak
 * real one, as `postgres` or `admin` there (held-out rounds 16 and 18; round 22: `password: "secret"`).
 */
export function isPasswordWordUnderPasswordName(value: string, name: string): boolean {
  const squashed = value.trim().toLowerCase().replace(/^(["'])(.*)\1$/, "$2");
  if (squashed !== "password" && squashed !== "passwd" && squashed !== "secret") return false;
  const words = nameWords(name);
  // Or under an S3 secret key's name (`secretAccessKey`, `MINIO_SECRET_KEY`), the password of a MinIO root user or an
  // S3 user (held-out round 20: `secretAccessKey: "password"` beside `accessKeyID: "admin"` in an applied Secret).
  return words.some((w) => PASSWORD_WORDS.has(w)) || /secret[-_ .]?(?:access[-_ .]?)?key$/i.test(name);
}

/** Words of a name that say its value is a password or a secret (`rootPassword`, `MYSQL_ROOT_PASSWORD`, `JWT_SECRET`). */
const PASSWORD_NAME_WORDS = new Set([...PASSWORD_WORDS, "pw", "passphrase", "passcode", "secret", "token", "pin"]);

/**
 * One digit from 1 to 9 typed four times or more (`777777`, `1111`) under a password's or a secret's name: a weak real
 * password, as `admin` or `postgres` there are (held-out round 17: a bitnami MySQL `rootPassword: "777777"` in an
 * Application's `helm.values`, deployed). A mask is written with `0`, `x`, `*`, `.`, `#` or `-` (`0000`, `xxxx`,
 * `****`) and stays a placeholder; so do digits without a name (nothing says they are a password). Whether digits
 * count at all under a name is the number judgement's (`literalSkipReason`: `PASSWORD_MIN_LENGTH: 8888` is a setting).
 */
function isRepeatedDigitPassword(v: string, name: string | undefined): boolean {
  if (name === undefined || !/^([1-9])\1{3,}$/.test(v)) return false;
  return nameWords(name).some((w) => PASSWORD_NAME_WORDS.has(w) || /(?:password|passwd|secret|token)$/.test(w));
}

/**
 * A value of exactly 16, 24 or 32 characters under a cookie secret's name (oauth2-proxy's `cookieSecret`,
 * `OAUTH2_PROXY_COOKIE_SECRET`): oauth2-proxy refuses any other length, so a value sized to fit is the secret in use,
 * even when it reads `my_…_key_` (held-out round 17: `my_<word>_key_`, padded to 16). Only the possessive reading is set
 * aside: markers (`changeme`, `xxxx`) and a value made only of descriptive words (`my_cookie_secret`) stay stand-ins.
 */
function isSizedCookieSecret(v: string, name: string | undefined): boolean {
  if (name === undefined || (v.length !== 16 && v.length !== 24 && v.length !== 32)) return false;
  return nameWords(name).slice(-2).join(" ") === "cookie secret";
}

/**
 * True for obvious placeholders: `changeme`, `<...>`, `REPLACE_ME`, `__REPLACE_ME__`, `xxx`, `TODO`, `example`, `dummy`,
 * `redacted`, `****`, `your-token-here`, a single repeated character (not one digit 1–9 under a password's name: `777777`), descriptive values (`my_access_key`,
 * `UPDATE_AWS_SECRET_ACCESS_KEY`), values cut short with an ellipsis (`ab12...`), instructions (`insert-rest-of-the-token`)
 * and values that echo their key (`API_KEY: API_KEY`). `name` is the key or variable the value sits under, when there
 * is one; `usernames` the user names of the same object (lower case), when known: `myworkpassword` beside the user
 * `mywork` is that user's password, not the `my…password` stand-in.
 */
export function isPlaceholder(value: string, name?: string, usernames?: ReadonlySet<string>): boolean {
  const v = value.trim();
  if (v === "") return true;
  const body = pemBody(v);
  if (body !== null) return body === "" || isPlaceholder(body); // `-----BEGIN PRIVATE KEY-----\nYOUR-PRIVATE-KEY-HERE\n-----END …`
  if (v.length > 256) return false; // placeholders are short; a long value is judged by what it holds
  // Laravel's `APP_KEY: base64:<key>`: the prefix names the encoding; what follows is judged as written
  // (`base64:REPLACE_WITH_ACTUAL_KEY` is a placeholder, `base64:` and 44 characters of key stay a value).
  const prefixed = /^base64:/i.exec(v);
  if (prefixed !== null) return isPlaceholder(v.slice(prefixed[0].length), name, usernames);
  if (/^<[^<>]*>$/.test(v)) return true;
  // Kept in its quotes (a `.env` line `DB_PASSWORD='<YOUR-PGPASSWORD>'` a generator reads keeps them, as Kustomize
  // does): a placeholder inside them is one (held-out round 24).
  const quoted = /^(["'])([^]*)\1$/.exec(v);
  if (quoted !== null && quoted[2]!.trim() !== "" && isPlaceholder(quoted[2]!, name, usernames)) return true;
  if (/^\[[^[\]]*\]$/.test(v) && /redacted|secret|password|token|key|hidden/i.test(v)) return true;
  if (/^_{2,}[A-Za-z0-9_]+_{2,}$/.test(v)) return true; // `__REPLACE_ME__`, `__DB_PASSWORD__`
  const lower = v.toLowerCase();
  const squashed = lower.replace(/[^a-z0-9]/g, "");
  if (squashed === "") return true; // only punctuation: `****`, `...`, `---`, `###`
  if (/^(.)\1*$/.test(squashed)) return !isRepeatedDigitPassword(v, name); // `aaaa`, `0000`, `xxx`; not `777777` as a password
  if (PLACEHOLDER_WORDS.has(squashed)) return true;
  if (hasMarker(v, lower, squashed)) return true; // `example`, `xxxx`, `fake`, `TODO` (not by chance in generated text)
  if (mostlySequences(squashed)) return true; // `TEST-123456789-1234-1234-1234-123456789012`
  if (v.includes("***")) return true; // masked: `ab****yz`
  if (/^your[-_ ]/.test(lower) || /[-_ ]here$/.test(lower)) return true; // `your-api-key`, `TOKEN_HERE`
  if (/^(?:your|Your|YOUR)[A-Z_]/.test(v) || /[a-z]Here$/.test(v)) return true; // `YourSuperSecurePasswordHere`
  if (isElided(v)) return true;
  if (POSSESSIVE_STANDIN.test(lower) && !isOwnUsersPassword(lower, usernames) && !isSizedCookieSecret(v, name)) return true;
  if (isForeignPossessiveStandin(v)) return true; // `tu_valor_secreto`, `sua-chave-jwt-super-secreta`
  if (CHANGE_INSTRUCTION.test(lower)) return true;
  if (FILLED_ELSEWHERE.test(lower) || STATED_LENGTH.test(lower)) return true;
  if (SERVICE_CREDENTIAL_NAME.test(lower) || GENERIC_CREDENTIAL_NAME.test(lower)) return true;
  if (namesOnlyField(v)) return true; // `token-password`, `password-here`
  if (isLocalStackSecret(lower, name)) return true;
  return isDescriptive(v, name) || isInstructionPhrase(v) || isProse(v);
}

/**
 * The body of a value that is one PEM block (`-----BEGIN X-----` … `-----END X-----`, with `\n` escapes as a JSON
 * service-account key writes them), its lines joined by spaces; null for anything else. Armour around a placeholder
 * (`YOUR-PRIVATE-KEY-HERE`, `<REPLACE_ME>`, `...`) is a placeholder wherever it is found, as a bare one is: real key
 * bodies are long base64, never a placeholder. Read with index searches, not a backtracking pattern.
 */
function pemBody(v: string): string | null {
  if (!v.startsWith("-----BEGIN ") || v.length > 4096) return null;
  const close = v.indexOf("-----", 11);
  if (close < 0 || close > 80) return null;
  const end = `-----END ${v.slice(11, close)}-----`;
  if (!v.endsWith(end) || v.length < close + 5 + end.length) return null;
  return v
    .slice(close + 5, v.length - end.length)
    .replace(/\\n/g, "\n")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .join(" ");
}

/** The hexadecimal digits in order: `9` is followed by `a`, and `f` by `0` again. */
const HEX_ORDER = "0123456789abcdef";

/** `next` follows `prev` in hexadecimal order (`3` → `4`, `9` → `a`, `f` → `0`). */
function followsInHex(prev: string | undefined, next: string | undefined): boolean {
  const at = prev === undefined ? -1 : HEX_ORDER.indexOf(prev);
  return at >= 0 && next === HEX_ORDER[(at + 1) % HEX_ORDER.length];
}

/**
 * A hand-made sample token: 16 letters and digits or more (separators removed), three quarters of them or more in
 * ascending runs of four characters or more: runs of digits (`TEST-123456789-1234-1234-1234-123456789012`), or the
 * hexadecimal digits in order across `9`→`a` or `f`→`0` (`0123456789abcdef` repeated, `abcdef0123456789`: held-out
 * round 11). A real token or hex key holds a `123` by chance, not mostly such runs; a short weak password
 * (`12345678`) and letters typed in order (`abcdefghijklmnop`, a weak but real cookie secret; runs of letters alone
 * do not count) stay values.
 */
function mostlySequences(squashed: string): boolean {
  if (squashed.length < 16) return false;
  let inRuns = 0;
  let start = 0;
  for (let i = 1; i <= squashed.length; i++) {
    if (i < squashed.length && followsInHex(squashed[i - 1], squashed[i])) continue;
    const run = squashed.slice(start, i);
    if (run.length >= 4 && /\d/.test(run)) inRuns += run.length; // digits, or hex digits across `9a` / `f0`
    start = i;
  }
  return inRuns * 4 >= squashed.length * 3;
}

/** Ascending runs such as `abcdef` or `123456` mark hand-made sample tokens. */
function hasSequence(s: string, run = 6): boolean {
  let len = 1;
  for (let i = 1; i < s.length; i++) {
    len = s.charCodeAt(i) === s.charCodeAt(i - 1) + 1 ? len + 1 : 1;
    if (len >= run) return true;
  }
  return false;
}

/**
 * True for token bodies (the random part after a known prefix) that are obviously not real: the placeholder marks
 * above (`xxxx`, `EXAMPLE`, `yourtoken`), `0000`, `***`, `abcdef123456`, low entropy. Real tokens are random.
 */
export function looksFake(body: string, minEntropy = 3): boolean {
  const lower = body.toLowerCase();
  const squashed = lower.replace(/[^a-z0-9]/g, "");
  if (/0{6,}|\*{3,}|sample/.test(lower)) return true;
  if (PLACEHOLDER_PARTS.some((p) => squashed.includes(p)) && hasMarker(body, lower, squashed)) return true;
  if (hasSequence(lower)) return true;
  return entropy(body) < minEntropy;
}
