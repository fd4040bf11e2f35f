/**
 * A forward proxy on loopback that applies the fetch tool's URL policy to a browser. Chromium is started
 * with it as its only way out, so every request the browser makes, the page the model asked for, each hop
 * of a redirect, every image, script, frame, fetch and WebSocket a page starts, goes through
 * {@link guardedLookup}: the address checked is the one the socket connects to, so a name that resolves
 * to a private address (or changes its answer between two lookups) is refused like a private literal.
 * Refused requests get a 403 whose body says why. The proxy asks for random credentials, so another
 * local process cannot use it as a way out.
 */
import { randomBytes } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, isIP, type Socket } from "node:net";
import { addressAllowed, guardedLookup, type PrivateAddressPolicy } from "./guard.js";

/** A running guard proxy. */
export interface GuardProxy {
  /** `http://127.0.0.1:<port>`, for the browser's proxy setting. */
  readonly server: string;
  readonly username: string;
  readonly password: string;
  close(): Promise<void>;
}

const HOP_HEADERS = new Set([
  "proxy-authorization",
  "proxy-connection",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
]);

/** The header a refusal carries, so that the browser session can tell it from a site's own 403. */
export const REFUSED_HEADER = "x-autogen-url-guard";
const REFUSED_HEADERS = { "content-type": "text/plain", [REFUSED_HEADER]: "refused" };

function refusalText(host: string, reason: string): string {
  return `Refused by the URL guard: ${host}: ${reason}`;
}

/**
 * Starts the proxy. `policy` is the fetch tool's `allowPrivateAddresses` (default: private, loopback and
 * reserved addresses refused).
 */
export async function startGuardProxy(policy: PrivateAddressPolicy | undefined): Promise<GuardProxy> {
  const username = "autogen";
  const password = randomBytes(18).toString("base64url");
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  const lookup = guardedLookup(policy);
  const sockets = new Set<Socket>();

  const authorized = (req: IncomingMessage) => req.headers["proxy-authorization"] === expected;

  /** Resolves `host` through the guard; the address to connect to, or the reason it is refused. */
  const resolveHost = (host: string): Promise<{ address: string } | { refused: string }> => {
    const bare = host.replace(/^\[|\]$/g, "");
    if (isIP(bare) !== 0) {
      return Promise.resolve(
        addressAllowed(bare, bare, policy)
          ? { address: bare }
          : { refused: "a private, loopback or reserved address" },
      );
    }
    return new Promise((resolve) => {
      lookup(bare, {}, (error, address) => {
        if (error) resolve({ refused: error.message });
        else resolve({ address: address as string });
      });
    });
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!authorized(req)) {
      res.writeHead(407, { "proxy-authenticate": 'Basic realm="autogen-guard"' }).end();
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? "");
    } catch {
      res.writeHead(400, { "content-type": "text/plain" }).end("Not a proxy request");
      return;
    }
    if (target.protocol !== "http:") {
      res
        .writeHead(403, { "content-type": "text/plain" })
        .end(refusalText(target.href, "only http and https"));
      return;
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name)) headers[name] = value;
    }
    // Resolved and checked once here, then connected to that very address: an IP literal gets no lookup
    // of its own in `http.request`, and a second lookup could answer differently.
    void resolveHost(target.hostname).then((resolved) => {
      if ("refused" in resolved) {
        res.writeHead(403, REFUSED_HEADERS).end(refusalText(target.host, resolved.refused));
        req.resume();
        return;
      }
      const upstream = httpRequest(
        {
          host: resolved.address,
          port: target.port || 80,
          path: `${target.pathname}${target.search}`,
          method: req.method,
          headers,
          agent: false,
        },
        (response) => {
          const out: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined && !HOP_HEADERS.has(name)) out[name] = value;
          }
          res.writeHead(response.statusCode ?? 502, out);
          response.pipe(res);
        },
      );
      upstream.on("error", (error) => {
        if (res.headersSent) res.destroy();
        else
          res.writeHead(502, { "content-type": "text/plain" }).end(refusalText(target.host, error.message));
      });
      req.pipe(upstream);
    });
  });

  // HTTPS and WebSockets: a tunnel to the checked address.
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    if (!authorized(req)) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="autogen-guard"\r\n\r\n',
      );
      return;
    }
    const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(req.url ?? "");
    if (match === null) {
      client.end("HTTP/1.1 400 Bad Request\r\n\r\n");
      return;
    }
    const [, host, port] = match as unknown as [string, string, string];
    void resolveHost(host).then((resolved) => {
      if ("refused" in resolved) {
        const body = refusalText(host, resolved.refused);
        client.end(
          `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
        return;
      }
      const upstream = connect({ host: resolved.address, port: Number(port) });
      sockets.add(upstream);
      upstream.on("close", () => sockets.delete(upstream));
      upstream.on("connect", () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on("error", () => {
        if (client.writable) client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
        client.destroy();
      });
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    server: `http://127.0.0.1:${port}`,
    username,
    password,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
