import { imageSources, imageSourcesOf, introducedImages, type ImageSource } from "../parse/image-sources.js";
import type { ParsedDoc, ParsedFile } from "../parse/yaml-file.js";
import type { ImageFactRequest, ImageLocation } from "../core/facts.js";

/** Image sources grouped into one fact request per key, in first-seen order. */
export function imageRequests(sources: readonly ImageSource[]): ImageFactRequest[] {
  const byKey = new Map<string, { key: string; ref: ImageSource["ref"]; locations: ImageLocation[] }>();
  for (const s of sources) {
    let req = byKey.get(s.key);
    if (!req) {
      req = { key: s.key, ref: s.ref, locations: [] };
      byKey.set(s.key, req);
    }
    req.locations.push({ file: s.file, docIndex: s.docIndex, path: s.path });
  }
  return [...byKey.values()];
}

/**
 * What the facts stage asks about for a review: the images the head side introduces (not on the base side).
 * For `scan` (no base side) every image is introduced.
 */
export function introducedImageRequests(headFiles: readonly ParsedFile[], baseFiles: readonly ParsedFile[] = []): ImageFactRequest[] {
  return imageRequests(introducedImages(imageSourcesOf(headFiles), imageSourcesOf(baseFiles)));
}

/**
 * The same over the documents a review judges on each side (`PreparedReview.documents`): rendered Kustomize objects
 * carry the image an overlay's `images:` sets, so what is asked about is what Argo CD would apply.
 */
export function introducedImageRequestsOfDocs(headDocs: Iterable<ParsedDoc>, baseDocs: Iterable<ParsedDoc>): ImageFactRequest[] {
  const sources = (docs: Iterable<ParsedDoc>): ImageSource[] => {
    const out: ImageSource[] = [];
    for (const d of docs) out.push(...imageSources(d));
    return out;
  };
  const head = sources(headDocs);
  // Nothing on the head side: the base side need not be read.
  return head.length === 0 ? [] : imageRequests(introducedImages(head, sources(baseDocs)));
}
