// `npm run playground [-- --port N]`: builds the page (build.ts) and serves
// it on 127.0.0.1 with binaryen.js and the corpus. Everything is compiled
// in the page; the server only hands out files.

import { serveStatic, type StaticServer } from "../src/browser/static-server.ts";
import { BINARYEN_DIR, BUILD_DIR, buildPlayground, type BuildReport, PROGRAMS_DIR, STATIC_DIR } from "./build.ts";

export const DEFAULT_PORT = 8093;

const HELP = `usage: npm run playground [-- --port N]

Builds the playground page (esbuild, into compiler3-emit/playground/.build/)
and serves it on http://127.0.0.1:N/ (default ${DEFAULT_PORT}; 0 picks a free
port), together with binaryen.js and the IR programs of conformance/programs.
Open the printed URL: pick or edit a program, compile it in the page to
WasmGC and handle-ABI Wasm, and run it on the interpreter and both modules.
Stop with Ctrl-C.

  --port N    the port to listen on (0..65535)
  --help      this text

Exit status: 2 on a bad flag; 1 when the build or the server fails.
`;

export type Parsed = { readonly help: true } | { readonly help: false; readonly port: number } | { readonly error: string };

export function parseArgs(args: readonly string[]): Parsed {
  let port = DEFAULT_PORT;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--help" || a === "-h") return { help: true };
    let value: string | undefined;
    if (a === "--port") value = args[++i];
    else if (a.startsWith("--port=")) value = a.slice("--port=".length);
    else return { error: `unknown argument ${a}` };
    if (value === undefined) return { error: "--port needs a number" };
    if (!/^\d+$/.test(value) || Number(value) > 65535) return { error: `--port ${value}: not a port number (0..65535)` };
    port = Number(value);
  }
  return { help: false, port };
}

/** Builds, then serves; resolves once listening. */
export async function startPlayground(port: number): Promise<{ server: StaticServer; build: BuildReport; url: string }> {
  const build = await buildPlayground();
  const server = await serveStatic({ "/": STATIC_DIR, "/build/": BUILD_DIR, "/vendor/binaryen/": BINARYEN_DIR, "/programs/": PROGRAMS_DIR }, port);
  return { server, build, url: `${server.origin}/` };
}

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if ("error" in parsed) {
    process.stderr.write(`playground: ${parsed.error}\n\n${HELP}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    const { build, url } = await startPlayground(parsed.port);
    const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
    process.stdout.write(
      `built page ${kib(build.pageBytes)}, worker ${kib(build.workerBytes)}, ${build.programs} programs in ${build.ms.toFixed(0)} ms\n` +
        `playground: ${url}\n`,
    );
    return -1; // keep serving
  } catch (e) {
    process.stderr.write(`playground: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exit(code);
}
