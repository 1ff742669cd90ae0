import type { AddressInfo } from "node:net";
import dynalite from "dynalite";

export interface DynaliteServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts dynalite (DynamoDB's wire protocol, in this process) on 127.0.0.1 and an ephemeral port.
 * `path` keeps the data in a LevelDB directory; without it the data lives in memory.
 */
export async function startDynalite(opts: { path?: string; port?: number } = {}): Promise<DynaliteServer> {
  const server = dynalite({ path: opts.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
