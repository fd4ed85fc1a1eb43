// `vm3 build PROG --target browser -o DIR [--force]`: a static folder that
// runs the program in a browser (DESIGN §11): both modules, the loader and
// its worker bundled by esbuild, and an index.html (browser/folder.ts).
import { basename } from "node:path";
import type { Command } from "./io.ts";
import { Exit, isHelp, usageError } from "./io.ts";
import { readValidProgram } from "./read-program.ts";
import { emitForCli } from "./targets.ts";

const BUILD_TARGETS = ["browser"] as const;

export const buildCommand: Command = {
  name: "build",
  summary: "build a static folder that runs a program in a browser",
  help: `usage: vm3 build PROG --target browser -o DIR [--force]

Validates PROG (ir.md §8.11; violations as 'vm3 validate' prints them),
compiles it to both modules with binaryen's optimiser, and writes the folder
DIR, which any static HTTP server can serve (nothing is fetched from
elsewhere; file:// URLs cannot start the module worker):
  program.json              the program (proto3 JSON, ir-text.md)
  program.wasmgc.wasm       the WebAssembly GC module (vm3-spec/wasmgc.md), -O
  program.handle-abi.wasm   the handle-ABI module (vm3-spec/handle-abi.md), -O
  vm3-loader.js             the loader: one ES module (esbuild) that probes the
                            engine, picks WasmGC where it validates and the
                            handle-ABI module on the TypeScript heap otherwise,
                            and runs programs in a Web Worker with a time limit
  vm3-loader.d.ts           the loader's TypeScript types
  vm3-worker.js             the Web Worker the loader starts
  index.html                a form for the entry's arguments and a Run button;
                            it shows the result or the trap, the engine and
                            why, and the time; its URL query may preset
                            ?args=10,20&prefer=auto|wasmgc|handle-abi
                            &timeout=MS&force-fallback=1&run=1

  --target browser   the only build target
  -o DIR             the folder to write: written beside it and renamed into
                     place once complete, so it is never half-written
  --force            replace DIR when it is an earlier build (it holds
                     vm3-loader.js); without it a non-empty DIR is refused,
                     and a non-empty DIR that is not a build is refused always

Exit status: 0 ok, 1 invalid, unreadable or uncompilable program or a write
error (DIR not empty, not writable), 2 usage error.
`,
  async run(args, io) {
    let target: string | undefined;
    let out: string | undefined;
    let force = false;
    const files: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (isHelp(a)) {
        io.out(this.help);
        return Exit.OK;
      }
      if (a === "--target" || a.startsWith("--target=")) {
        target = a === "--target" ? args[++i] : a.slice("--target=".length);
        if (target === undefined) return usageError(io, this, `--target needs a value (known targets: ${BUILD_TARGETS.join(", ")})`);
        if (!(BUILD_TARGETS as readonly string[]).includes(target)) return usageError(io, this, `unknown target "${target}" (known targets: ${BUILD_TARGETS.join(", ")})`);
      } else if (a === "-o") {
        out = args[++i];
        if (out === undefined || out === "") return usageError(io, this, "-o needs a folder name");
      } else if (a === "--force") {
        force = true;
      } else if (a.startsWith("-")) {
        return usageError(io, this, `unknown flag ${a}`);
      } else {
        files.push(a);
      }
    }
    if (files.length !== 1) return usageError(io, this, files.length === 0 ? "missing PROG" : "one PROG expected");
    if (target === undefined) return usageError(io, this, `missing --target (known targets: ${BUILD_TARGETS.join(", ")})`);
    if (out === undefined) return usageError(io, this, "missing -o DIR");
    const file = files[0]!;
    const loaded = readValidProgram(io, file);
    if (loaded === undefined) return Exit.ERROR;
    const wasmgc = await emitForCli(io, file, loaded.program, true, "wasmgc");
    if (wasmgc === undefined) return Exit.ERROR;
    const handleAbi = await emitForCli(io, file, loaded.program, true, "handle-abi");
    if (handleAbi === undefined) return Exit.ERROR;
    // Loaded here, not at the top: esbuild's module is only for this command.
    const { FolderError, folderFiles, writeFolder } = await import("../browser/folder.ts");
    const contents = await folderFiles(loaded.program, { wasmgc, handleAbi }, basename(file));
    try {
      writeFolder(out, contents, force);
    } catch (e) {
      if (e instanceof FolderError) {
        io.err(`vm3 build: ${e.message}\n`);
        return Exit.ERROR;
      }
      throw e;
    }
    const sizes = [...contents].map(([name, data]) => `${name} ${typeof data === "string" ? Buffer.byteLength(data) : data.length}`);
    io.err(`vm3 build: wrote ${out}/ from ${file}: ${sizes.join(", ")} (bytes)\n`);
    return Exit.OK;
  },
};
