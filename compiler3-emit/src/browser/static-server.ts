// A small static file server on 127.0.0.1 (node:http): what serves a `vm3
// build` folder to the browser tests and the playground's files. Only GET
// and HEAD, only files under its roots, `.wasm` as application/wasm (which
// WebAssembly.instantiateStreaming requires).

import { createReadStream, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import type { AddressInfo } from "node:net";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".ir": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".d.ts": "text/plain; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** URL prefix → folder: `{ "/": dir }` serves dir at the root; the longest matching prefix wins. */
export type StaticRoots = Readonly<Record<string, string>>;

export interface StaticServer {
  readonly server: Server;
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves `roots` on 127.0.0.1:`port` (0: any free port). */
export async function serveStatic(roots: StaticRoots, port = 0): Promise<StaticServer> {
  const mounts = Object.entries(roots)
    .map(([prefix, dir]) => [prefix.endsWith("/") ? prefix : `${prefix}/`, resolve(dir)] as const)
    .sort((a, b) => b[0].length - a[0].length);
  const server = createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    } catch {
      res.writeHead(400).end("bad path");
      return;
    }
    const file = resolveFile(mounts, path);
    if (file === undefined) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`not found: ${path}\n`);
      return;
    }
    const type = TYPES[file.endsWith(".d.ts") ? ".d.ts" : extname(file)] ?? "application/octet-stream";
    res.writeHead(200, { "content-type": type, "cache-control": "no-store" });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => ok());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${bound}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** The file `path` names under the longest matching mount (a folder means its index.html), never outside it. */
function resolveFile(mounts: readonly (readonly [string, string])[], path: string): string | undefined {
  for (const [prefix, dir] of mounts) {
    const bare = prefix.slice(0, -1);
    if (path !== bare && !path.startsWith(prefix)) continue;
    const rel = normalize(path.slice(prefix.length));
    let file = join(dir, rel);
    if (file !== dir && !file.startsWith(dir + sep)) return undefined;
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      if (statSync(file).isFile()) return file;
    } catch {
      // not under this mount: try a shorter prefix
    }
  }
  return undefined;
}
