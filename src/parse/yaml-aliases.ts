import { isAlias, isCollection, isPair, isScalar, type Alias, type Document, type Node } from "yaml";

/**
 * What every alias of a document points at, as the `yaml` library resolves it: the last node before the alias, in
 * document order, that carries its anchor (undefined when there is none). One walk of the document — `Alias.resolve`
 * without a context walks the whole document for every alias. The walk follows yaml's `visit` order (a node, then its
 * items; a pair's key, then its value) without building its per-node paths.
 */
export function aliasTargets(doc: Document.Parsed): ReadonlyMap<Alias, Node | undefined> {
  const targets = new Map<Alias, Node | undefined>();
  const latest = new Map<string, Node>();
  const walk = (n: unknown): void => {
    if (isAlias(n)) targets.set(n, latest.get(n.source));
    else if (isScalar(n)) {
      if (n.anchor) latest.set(n.anchor, n);
    } else if (isCollection(n)) {
      if (n.anchor) latest.set(n.anchor, n);
      for (const item of n.items) walk(item);
    } else if (isPair(n)) {
      walk(n.key);
      walk(n.value);
    }
  };
  walk(doc.contents);
  return targets;
}
