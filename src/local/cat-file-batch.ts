/**
 * A streaming reader of `git cat-file --batch` output: `<id> <type> <size>\n<size bytes>\n` per object, or
 * `<id> missing\n`. Each object is copied out of the pipe's chunks into a buffer of its own size as the chunks
 * arrive, so the whole output is never held at once — only the objects that were asked for.
 */
export class CatFileBatchReader {
  readonly objects = new Map<string, Uint8Array>();
  private header: Buffer[] = [];
  private headerLength = 0;
  private body: { id: string; data: Uint8Array; filled: number } | null = null;
  private newline = false;

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.newline) {
        if (chunk[at] !== 0x0a) throw new Error("git cat-file output is out of step (no newline after an object)");
        at++;
        this.newline = false;
      } else if (this.body) {
        const body = this.body;
        const n = Math.min(body.data.length - body.filled, chunk.length - at);
        body.data.set(chunk.subarray(at, at + n), body.filled);
        body.filled += n;
        at += n;
        if (body.filled === body.data.length) this.finish();
      } else {
        const nl = chunk.indexOf(0x0a, at);
        const end = nl < 0 ? chunk.length : nl;
        this.header.push(chunk.subarray(at, end));
        this.headerLength += end - at;
        if (this.headerLength > 1024) throw new Error("git cat-file printed an unexpected header");
        if (nl < 0) return;
        at = nl + 1;
        this.start(Buffer.concat(this.header).toString("latin1"));
      }
    }
  }

  /** Throws when the output stopped in the middle of an object. */
  end(): void {
    if (this.body || this.headerLength > 0) throw new Error("git cat-file output ended in the middle of an object");
  }

  private start(header: string): void {
    this.header = [];
    this.headerLength = 0;
    const [id, type, size] = header.split(" ");
    if (!id || type === "missing" || type === "ambiguous") return;
    const length = Number(size);
    if (!Number.isSafeInteger(length) || length < 0) throw new Error("git cat-file printed an unexpected header");
    this.body = { id, data: new Uint8Array(length), filled: 0 };
    if (length === 0) this.finish();
  }

  private finish(): void {
    this.objects.set(this.body!.id, this.body!.data);
    this.body = null;
    this.newline = true;
  }
}
