/**
 * A loopback TCP proxy in front of a server (dynalite in these tests) that can be switched, to make a dependency
 * unreachable after the app started: `forward` passes bytes through, `refuse` resets every connection at once (a
 * closed port or a crashed store), `blackhole` accepts connections and never answers (a dead load balancer or a
 * network partition). Switching drops every open connection, so pooled keep-alive sockets do not bypass the mode.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export type SwitchMode = "forward" | "refuse" | "blackhole";

export class TcpSwitch {
  mode: SwitchMode = "forward";
  /** Connections accepted in each mode. */
  readonly accepted: Record<SwitchMode, number> = { forward: 0, refuse: 0, blackhole: 0 };
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpSwitch> {
    const box: { self?: TcpSwitch } = {};
    const server = createServer((client) => box.self!.accept(client, target));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    box.self = new TcpSwitch(server, (server.address() as { port: number }).port);
    return box.self;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  set(mode: SwitchMode): void {
    this.mode = mode;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  async close(): Promise<void> {
    this.set("refuse");
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.on("close", () => this.sockets.delete(s));
    s.on("error", () => s.destroy());
  }

  private accept(client: Socket, target: { host: string; port: number }): void {
    this.accepted[this.mode]++;
    this.track(client);
    if (this.mode === "refuse") {
      client.resetAndDestroy();
      return;
    }
    if (this.mode === "blackhole") {
      client.on("data", () => undefined);
      return;
    }
    const upstream = connect(target.port, target.host);
    this.track(upstream);
    client.pipe(upstream).pipe(client);
    upstream.on("close", () => client.destroy());
    client.on("close", () => upstream.destroy());
  }
}
