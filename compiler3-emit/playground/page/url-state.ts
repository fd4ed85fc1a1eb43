// The page's state in the URL's hash, so a reload (or a shared link) shows
// the same thing: `#prog=heap/binary_trees.ir&entry=binary_trees&args=10&timeout=5000&O=1`,
// plus `src=…` (the edited text, deflate-raw compressed, base64url) when the
// text is not the chosen program's file.

export interface UrlState {
  /** A corpus path under conformance/programs, e.g. "heap/binary_trees.ir"; "" for none. */
  prog: string;
  /** The edited text, when it differs from the file's. */
  src: string | undefined;
  entry: string;
  args: string;
  timeoutMs: number;
  optimize: boolean;
}

export const DEFAULT_TIMEOUT_MS = 5000;

export async function readHash(hash: string): Promise<Partial<UrlState>> {
  const q = new URLSearchParams(hash.replace(/^#/, ""));
  const out: Partial<UrlState> = {};
  const prog = q.get("prog");
  if (prog !== null) out.prog = prog;
  const entry = q.get("entry");
  if (entry !== null) out.entry = entry;
  const args = q.get("args");
  if (args !== null) out.args = args;
  const timeout = Number(q.get("timeout"));
  if (Number.isFinite(timeout) && timeout > 0) out.timeoutMs = timeout;
  const o = q.get("O");
  if (o !== null) out.optimize = o === "1";
  const src = q.get("src");
  if (src !== null) {
    try {
      out.src = await inflate(src);
    } catch {
      // a damaged link: fall back to the program's file
    }
  }
  return out;
}

export async function writeHash(s: UrlState): Promise<string> {
  const q = new URLSearchParams();
  if (s.prog !== "") q.set("prog", s.prog);
  if (s.entry !== "") q.set("entry", s.entry);
  if (s.args !== "") q.set("args", s.args);
  if (s.timeoutMs !== DEFAULT_TIMEOUT_MS) q.set("timeout", String(s.timeoutMs));
  if (s.optimize) q.set("O", "1");
  if (s.src !== undefined) q.set("src", await deflate(s.src));
  return `#${q.toString()}`;
}

async function deflate(text: string): Promise<string> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function inflate(b64: string): Promise<string> {
  const bin = atob(b64.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return await new Response(stream).text();
}
